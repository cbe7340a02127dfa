/**
 * libmakepkg `tidy/staticlibs.sh`: with `!staticlibs`, removes a `*.a`
 * when a `.so` of the same name (file or symlink) sits next to it.
 *
 * @module
 */

import { optionIs, type TidyContext } from "./context.ts";
import { walkPackage } from "./_walk.ts";

/** The `staticlibs` step. */
export async function tidyStaticLibs(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "staticlibs", "n")) return;
  for (const e of await walkPackage(ctx.pkgdir)) {
    if (e.info.isDirectory || !e.rel.split("/").pop()!.endsWith(".a")) continue;
    const so = await Deno.lstat(`${e.path.slice(0, -2)}.so`).catch(() => null);
    if (so && (so.isFile || so.isSymlink)) await Deno.remove(e.path);
  }
}
