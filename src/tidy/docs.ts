/**
 * libmakepkg `tidy/docs.sh`: with `!docs`, removes `DOC_DIRS` (expanded as
 * globs inside the package tree).
 *
 * @module
 */

import { join } from "node:path";
import { optionIs, type TidyContext } from "./context.ts";
import { expandInTree } from "./_glob.ts";
import { removePath } from "./_walk.ts";

/** The `docs` step. */
export async function tidyDocs(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "docs", "n") || ctx.config.docDirs.length === 0) return;
  for (const pattern of ctx.config.docDirs) {
    for (const rel of await expandInTree(ctx.pkgdir, pattern)) {
      await removePath(join(ctx.pkgdir, rel));
    }
  }
}
