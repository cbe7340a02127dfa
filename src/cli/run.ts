/**
 * Runs one parsed command: resolves its settings, checks the permissions it
 * needs (nothing happens before that), traps Ctrl-C (unless the command
 * changes nothing), runs it and renders the result.
 *
 * @module
 */

import { ExitCode } from "../errors.ts";
import { flag, type ParsedArgs, stringOption } from "./args.ts";
import { DenoConfigSource, resolveConfig } from "./config.ts";
import type { CommandLoader } from "./_load.ts";
import type { CommandContext } from "./context.ts";
import { ensureGranted, isGranted } from "./permissions.ts";
import { createRenderer, type Renderer, type Streams, type Verbosity } from "./render/mod.ts";
import { type InterruptTrap, trapInterrupts } from "./signals.ts";
import type { CommandSpec } from "./spec.ts";

/** How {@link runCommand} reaches the outside. */
export interface RunOptions {
  /** Output streams. */
  readonly streams: Streams;
  /** Working directory. */
  readonly cwd: string;
  /** Told the renderer once it exists, so failures are rendered by it. */
  readonly onRenderer: (renderer: Renderer) => void;
}

function verbosity(args: ParsedArgs): Verbosity {
  return flag(args, "quiet") ? "quiet" : flag(args, "verbose") ? "verbose" : "normal";
}

function isTty(): boolean {
  return !Deno.noColor && Deno.stderr.isTerminal();
}

/**
 * Runs the command `spec` names, its module loaded by `loader`, with
 * `args`; resolves to the exit code (throws on failure). When loading the
 * module needs a permission not granted, the error names it with the
 * settings' own.
 */
export async function runCommand(
  spec: CommandSpec,
  args: ParsedArgs,
  loader: CommandLoader,
  options: RunOptions,
): Promise<number> {
  const renderer = await createRenderer({
    json: flag(args, "json"),
    verbosity: verbosity(args),
    tty: isTty(),
    streams: options.streams,
  });
  options.onRenderer(renderer);
  const config = resolveConfig(spec.settings, args, new DenoConfigSource(), options.cwd);
  // Ctrl-C is trapped before a command runs, or when it first asks for its
  // signal; one that changes nothing and never asks (`list`) installs no
  // signal listener (Deno's default ends it on Ctrl-C). A job id is drawn
  // when asked for.
  let trap: InterruptTrap | undefined;
  const interrupts = () => trap ??= trapInterrupts(spec.name, (line) => renderer.info(line));
  let jobId = stringOption(args, "job-id") || undefined;
  try {
    const ctx: CommandContext = {
      spec,
      args,
      config,
      renderer,
      get signal() {
        return interrupts().signal;
      },
      cwd: options.cwd,
      get jobId() {
        return jobId ??= crypto.randomUUID();
      },
    };
    if (!loader.needs.every(isGranted)) ensureGranted([...config.needs, ...loader.needs]);
    const module = await loader.load();
    ensureGranted([...config.needs, ...module.permissions(ctx)]);
    if (!module.changesNothing) interrupts();
    const output = await module.run(ctx);
    const interrupted = trap?.signal.aborted === true && !module.outcomeIsFinal;
    if (interrupted && !module.endsOnInterrupt) throw trap!.signal.reason;
    renderer.result(spec.name, output.value, output.text);
    return interrupted ? ExitCode.cancelled : output.exitCode ?? ExitCode.ok;
  } finally {
    trap?.release();
    renderer.close();
  }
}
