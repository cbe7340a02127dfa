/**
 * libmakepkg `tidy/strip.sh`: with `strip`, strips every regular file the
 * owner may write, with makepkg's flags per ELF type: `STRIP_SHARED` for
 * shared objects and PIE executables, `STRIP_BINARIES` for other
 * executables, `STRIP_STATIC` (then the LTO sections) for static libraries,
 * `STRIP_SHARED` for kernel modules; other relocatable objects and non-ELF
 * files are left alone. With `debug` too, the debug information goes to the
 * `<pkgbase>-debug` package first (see `debug.ts`).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { throwIfCancelled } from "../errors.ts";
import { optionIs, runTool, type TidyContext } from "./context.ts";
import { type DebugSplit, splitDebugInfo } from "./debug.ts";
import { elfKindOfFile } from "./_elf.ts";
import { walkPackage } from "./_walk.ts";

/** The strip flags for the file at `path`, or `null` when makepkg leaves it alone. */
async function stripFlagsOf(
  ctx: TidyContext,
  rel: string,
  path: string,
): Promise<{ flags: readonly string[]; lto: boolean } | null> {
  const kind = await elfKindOfFile(path);
  if (kind === "shared") return { flags: ctx.config.stripShared, lto: false };
  if (kind === "executable") return { flags: ctx.config.stripBinaries, lto: false };
  if (kind === "archive") return { flags: ctx.config.stripStatic, lto: true };
  if (kind === "relocatable" && rel.endsWith(".ko")) {
    return { flags: ctx.config.stripShared, lto: false };
  }
  return null;
}

/** `strip ARGS file -o tmp`, and on success the result written over the file (same inode and mode). */
async function stripInPlace(path: string, args: readonly string[]): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 6)}`);
  try {
    const r = await runTool("strip", [...args, path, "-o", tmp], dirname(path));
    if (r.ok) await Deno.writeFile(path, await Deno.readFile(tmp));
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/** The `strip` step (and, with `debug`, the debug split). */
export async function tidyStrip(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "strip", "y")) return;
  const debug: DebugSplit | null = optionIs(ctx, "debug", "y") ? await debugSplitFor(ctx) : null;
  for (const e of await walkPackage(ctx.pkgdir)) {
    throwIfCancelled(ctx.signal, "Stripping");
    if (!e.info.isFile || ((e.info.mode ?? 0) & 0o200) === 0) continue;
    const how = await stripFlagsOf(ctx, e.rel, e.path);
    if (!how) continue;
    if (debug && !await splitDebugInfo(debug, e.rel)) continue;
    await stripInPlace(e.path, how.flags);
    if (how.lto) {
      await stripInPlace(e.path, [
        "-R",
        ".gnu.lto_*",
        "-R",
        ".gnu.debuglto_*",
        "-N",
        "__gnu_lto_v1",
      ]);
    }
  }
}

/** Makes the debug package's directories (makepkg's `dbgdir`, `dbgsrc`). */
async function debugSplitFor(ctx: TidyContext): Promise<DebugSplit> {
  const debugPkg = join(ctx.pkgdirBase, `${ctx.pkgbase}-debug`);
  const split: DebugSplit = {
    ctx,
    dbgdir: join(debugPkg, "usr/lib/debug"),
    dbgsrc: join(debugPkg, ctx.config.dbgsrcdir),
  };
  await Deno.mkdir(split.dbgdir, { recursive: true });
  await Deno.mkdir(split.dbgsrc, { recursive: true });
  return split;
}
