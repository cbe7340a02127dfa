/**
 * `uninstall <id>`: removes exactly the recorded files of a worker; modified
 * files are kept as `<path>.pacsave` (and listed) unless `--force`.
 *
 * @module
 */

import { flag } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { hiveFlags, hiveNeeds } from "./_hive.ts";
import type { PermissionNeed } from "../permissions.ts";
import { createProvisioner, LOCK_NEED, stateWriteNeeds } from "./_provisioner.ts";

/** The transaction decides: once it committed, the result stands even after Ctrl-C. */
export const outcomeIsFinal = true;

/** Changing the records and the root. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return [...stateWriteNeeds(ctx.config), LOCK_NEED, ...hiveNeeds(ctx)];
}

/** Uninstalls the worker. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const id = ctx.args.positionals[0];
  const provisioner = createProvisioner(ctx.config, hiveFlags(ctx));
  const result = await provisioner.remove(id, {
    force: flag(ctx.args, "force"),
    signal: ctx.signal,
  });
  const savedAs = new Map(result.saved.map((s) => [s.path, s.savedAs]));
  const kept = result.kept.map((k) =>
    savedAs.has(k.path)
      ? `kept modified ${k.path} as ${savedAs.get(k.path)} (use --force to remove it instead)\n`
      : `kept modified ${k.path} (use --force to remove it)\n`
  );
  return {
    value: result,
    text: `uninstalled ${result.id} ${result.version} (${
      plural(result.removed.length, "path")
    } removed)\n${kept.join("")}`,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
