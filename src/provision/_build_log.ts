/**
 * The log of a failed build outlives its build directory: it is moved to
 * `STATE/logs/<worker-id>/build.log`, named by the error, and removed by the
 * next successful install of that worker (as makepkg keeps `*.log` files in
 * its start directory).
 *
 * @module
 */

import { join } from "node:path";
import { BuildFailedError } from "../run/errors.ts";
import type { Layout } from "./paths.ts";

/** The directory holding worker `id`'s last failed build log. */
export function failedLogDir(layout: Layout, id: string): string {
  return join(layout.stateDir, "logs", id);
}

/**
 * Rethrows `error`; a {@link BuildFailedError} whose log could be kept is
 * rethrown naming the kept copy. Never hides the original failure.
 */
export async function keepFailedLog(error: unknown, layout: Layout, id: string): Promise<never> {
  if (!(error instanceof BuildFailedError)) throw error;
  const dir = failedLogDir(layout, id);
  const kept = join(dir, "build.log");
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.copyFile(error.logFile, kept);
  } catch {
    throw error;
  }
  throw error.withLogFile(kept);
}

/** Removes worker `id`'s kept failed log, if any (after a successful install). */
export async function clearFailedLog(layout: Layout, id: string): Promise<void> {
  await Deno.remove(failedLogDir(layout, id), { recursive: true }).catch(() => {});
}
