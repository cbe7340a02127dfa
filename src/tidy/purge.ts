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
import { expandInTree, namePattern } from "./_glob.ts";
import { walkPackage } from "./_walk.ts";

/** The `purge` step. */
export async function tidyPurge(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "purge", "y") || ctx.config.purgeTargets.length === 0) return;
  // the file-name patterns: one walk of the tree for all of them, each compiled once
  const names = ctx.config.purgeTargets.filter((t) => !t.includes("/")).map(namePattern);
  if (names.length) {
    for (const e of await walkPackage(ctx.pkgdir)) {
      const name = basename(e.rel);
      if (!e.info.isDirectory && names.some((re) => re.test(name))) {
        await Deno.remove(e.path).catch(() => {});
      }
    }
  }
  for (const target of ctx.config.purgeTargets) {
    if (!target.includes("/")) continue;
    for (const rel of await expandInTree(ctx.pkgdir, target)) {
      const path = join(ctx.pkgdir, rel);
      if (!(await Deno.lstat(path)).isDirectory) await Deno.remove(path);
    }
  }
}
