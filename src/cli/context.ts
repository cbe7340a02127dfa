/**
 * What every command receives and returns.
 *
 * @module
 */

import type { ParsedArgs } from "./args.ts";
import type { CliConfig } from "./config.ts";
import type { PermissionNeed } from "./permissions.ts";
import type { Renderer } from "./render/mod.ts";
import type { CommandSpec } from "./spec.ts";

/** The inputs of a command run. */
export interface CommandContext {
  /** The command's spec. */
  readonly spec: CommandSpec;
  /** The parsed command line. */
  readonly args: ParsedArgs;
  /** Resolved settings. */
  readonly config: CliConfig;
  /** Where progress and results go. */
  readonly renderer: Renderer;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
  /** The working directory relative paths are resolved against. */
  readonly cwd: string;
  /** The job id carried by the library's events. */
  readonly jobId: string;
}

/** What a command produces. */
export interface CommandOutput {
  /** The result for `--json`. */
  readonly value: unknown;
  /** The result for humans, printed on stdout exactly as is. */
  readonly text: string;
  /** Exit status when the command succeeded but reports a failure (lint errors). @default 0 */
  readonly exitCode?: number;
}

/** A command's module: `permissions` is checked before `run` is called. */
export interface CommandModule {
  /** The permissions the command needs before it starts (beyond reading its configuration). */
  permissions(ctx: CommandContext): PermissionNeed[];
  /** Runs the command. */
  run(ctx: CommandContext): Promise<CommandOutput>;
  /** When true, Ctrl-C is how the command normally ends (a server): its result is printed and the exit status is 130 without an error line. */
  readonly endsOnInterrupt?: boolean;
  /**
   * When true, a result the command returns after Ctrl-C is the true outcome
   * (an install or uninstall that passed its commit point): it is printed
   * and the exit status is the command's own, not 130. A cancelled
   * transaction throws `CancelledError` instead.
   */
  readonly outcomeIsFinal?: boolean;
  /**
   * When true, the command changes nothing that ending it at any point
   * could leave half-done (it reads, or runs only crash-safe recovery), so
   * Ctrl-C may end the process as it ends any program: no handler is
   * installed (a start-up cost) unless the command asks for `ctx.signal`.
   */
  readonly changesNothing?: boolean;
}
