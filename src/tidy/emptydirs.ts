/**
 * libmakepkg `tidy/emptydirs.sh`: with `!emptydirs`, removes every empty
 * directory, deepest first (so a directory left empty by that goes too).
 *
 * @module
 */

import { optionIs, type TidyContext } from "./context.ts";
import { walkPackage } from "./_walk.ts";

/** The `emptydirs` step. */
export async function tidyEmptyDirs(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "emptydirs", "n")) return;
  for (const e of await walkPackage(ctx.pkgdir, true)) {
    if (e.info.isDirectory) await Deno.remove(e.path).catch(() => {}); // rmdir: only when empty
  }
}
