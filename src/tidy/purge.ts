/**
 * libmakepkg `tidy/purge.sh`: with `purge`, removes `PURGE_TARGETS`: a
 * target without `/` is a file-name pattern matched anywhere (directories
 * excepted), a path is expanded from the root and removed when it is not a
 * directory (`rm -f`).
 *
 * @module
 */

import { basename, join } from "node:path";
import { optionIs, type TidyContext } from "./context.ts";
import { expandInTree, nameMatches } from "./_glob.ts";
import { walkPackage } from "./_walk.ts";

/** The `purge` step. */
export async function tidyPurge(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "purge", "y") || ctx.config.purgeTargets.length === 0) return;
  for (const target of ctx.config.purgeTargets) {
    if (!target.includes("/")) {
      for (const e of await walkPackage(ctx.pkgdir)) {
        if (!e.info.isDirectory && nameMatches(basename(e.rel), target)) {
          await Deno.remove(e.path).catch(() => {});
        }
      }
      continue;
    }
    for (const rel of await expandInTree(ctx.pkgdir, target)) {
      const path = join(ctx.pkgdir, rel);
      if (!(await Deno.lstat(path)).isDirectory) await Deno.remove(path);
    }
  }
}
