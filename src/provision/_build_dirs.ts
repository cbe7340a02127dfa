/**
 * Build directories under the build base: one fresh directory per job
 * (`<id>~XXXX`), the base itself removed when the last job leaves it.
 *
 * @module
 */

import { removeContained } from "../boundary/contained_path.ts";
import { mapFsError } from "./_job.ts";

/** Makes a fresh build directory for `id` under `base` (retrying if a finishing job removed the empty base meanwhile). */
export async function makeBuildDir(base: string, id: string): Promise<string> {
  for (let attempt = 0;; attempt++) {
    await Deno.mkdir(base, { recursive: true }).catch(mapFsError(base));
    try {
      return await Deno.makeTempDir({ dir: base, prefix: `${id}~` });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt >= 5) throw error;
    }
  }
}

/** Removes the build directory `dir` and, when no other job uses it, the build base. */
export async function removeBuildDir(base: string, dir: string): Promise<void> {
  await removeContained(dir, { base }, { recursive: true }).catch(() => {});
  await Deno.remove(base).catch(() => {}); // only when empty
}
