/**
 * `completions <bash|zsh|fish>` prints a shell completion script and `man`
 * prints the man page, both generated from the command table.
 *
 * @module
 */

import { completionScript, SHELLS } from "../completions.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { PermissionNeed } from "../permissions.ts";

/** Needs nothing. */
export function permissions(_ctx: CommandContext): PermissionNeed[] {
  return [];
}

/** Prints the script for the shell named by the argument. */
export function run(ctx: CommandContext): Promise<CommandOutput> {
  const shell = ctx.args.positionals[0];
  if (!SHELLS.includes(shell)) {
    throw new UsageError(`No completion for shell ${shell}`, {
      hint: `give one of ${SHELLS.join(", ")}`,
    });
  }
  const script = completionScript(shell);
  return Promise.resolve({ value: { shell, script }, text: script });
}
