/**
 * The installed workers of a layout, read the way every command reads them:
 * interrupted transactions recovered first (as far as this process may
 * write), then every record read against its schema. The provisioner's
 * `list()`/`scan()` and the CLI's `list` use this alone, so listing loads
 * none of the install pipeline (it starts several times faster).
 *
 * @module
 */

import { join, resolve } from "../_path.ts";
import type { RecordInvalidError } from "../boundary/errors.ts";
import { type WorkerBinary, workerBinaryOf } from "./binary.ts";
import { recoverLeftovers } from "./_leftovers.ts";
import type { Layout } from "./paths.ts";
import { scanRecords } from "./record.ts";

/** Where a layout's build directories are made (`buildDir`, else `CACHE/build`). */
export function buildBaseOf(layout: Layout, buildDir?: string): string {
  return resolve(buildDir ?? join(layout.cacheDir, "build"));
}

/**
 * Every installed worker of `layout`, sorted by id, and the errors of the
 * records that fail their schema (each names its file and the fix).
 */
export async function scanInstalled(
  layout: Layout,
  buildBase: string = buildBaseOf(layout),
): Promise<{ workers: WorkerBinary[]; damaged: RecordInvalidError[] }> {
  await recoverLeftovers({ layout, buildBase }, true);
  const { records, damaged } = await scanRecords(layout.stateDir, layout.root);
  return { workers: records.map((r) => workerBinaryOf(r)), damaged };
}
