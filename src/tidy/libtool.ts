/**
 * libmakepkg `tidy/libtool.sh`: with `!libtool`, removes every `*.la` that
 * is not a directory.
 *
 * @module
 */

import { optionIs, type TidyContext } from "./context.ts";
import { walkPackage } from "./_walk.ts";

/** The `libtool` step. */
export async function tidyLibtool(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "libtool", "n")) return;
  for (const e of await walkPackage(ctx.pkgdir)) {
    if (!e.info.isDirectory && e.rel.split("/").pop()!.endsWith(".la")) await Deno.remove(e.path);
  }
}
