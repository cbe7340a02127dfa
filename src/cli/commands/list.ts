/**
 * `list`: the installed workers with version, architecture and executables.
 *
 * @module
 */

import type { WorkerBinary } from "../../provision/binary.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";
import { scanInstalled } from "../../provision/installed.ts";
import { layoutOf, stateReadNeeds } from "./_state.ts";

/**
 * `list` reads; the recovery of an interrupted install it may run first is
 * crash-safe (a SIGKILL at any point is recovered by the next run), so
 * Ctrl-C may end it at once, without a handler.
 */
export const changesNothing = true;

/** Reading the records. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return stateReadNeeds(ctx.config);
}

/** Formats workers as a table: id, version, arch, size, executables. */
export function formatWorkers(workers: readonly WorkerBinary[]): string {
  const idWidth = Math.max(2, ...workers.map((w) => w.id.length)) + 2;
  const verWidth = Math.max(7, ...workers.map((w) => w.version.length)) + 2;
  return workers.map((w) =>
    `${w.id.padEnd(idWidth)}${w.version.padEnd(verWidth)}${w.arch.padEnd(9)}${
      formatBytes(w.size).padStart(10)
    }  ${w.executables.join(" ")}\n`
  ).join("");
}

/** Lists the workers (`--json`: the array of WorkerBinary without `alreadyInstalled`). */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  // The provisioner's own listing, without loading its install pipeline (a fast start).
  const { workers, damaged } = await scanInstalled(layoutOf(ctx.config));
  for (const e of damaged) ctx.renderer.info(`${e.message}; ${e.hint}`);
  if (!workers.length && !damaged.length) ctx.renderer.info("no worker is installed");
  // `alreadyInstalled` describes an install call, not an installed worker.
  const value = workers.map(({ alreadyInstalled: _, ...worker }) => worker);
  return { value, text: formatWorkers(workers) };
}
