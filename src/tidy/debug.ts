/**
 * The `debug` half of libmakepkg `tidy/strip.sh` (`strip_file` with
 * `debug`): before a file is stripped, its debug information is copied to
 * `<pkgbase>-debug/usr/lib/debug/<path>.debug` (`objcopy
 * --only-keep-debug`), the file gets a `.gnu_debuglink`, the sources its
 * debug information names are copied under `DBGSRCDIR` (`debugedit`),
 * hard links get their own `.debug` link, and `.build-id/xx/yyyy(.debug)`
 * symlinks are made.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { runTool, type TidyContext } from "./context.ts";
import { walkPackage } from "./_walk.ts";

/** Where the debug package of a tidy run is made. */
export interface DebugSplit {
  /** The tidy run. */
  readonly ctx: TidyContext;
  /** makepkg's `$dbgdir`: `<pkgdirbase>/<pkgbase>-debug/usr/lib/debug`. */
  readonly dbgdir: string;
  /** makepkg's `$dbgsrc`: `<pkgdirbase>/<pkgbase>-debug<DBGSRCDIR>`. */
  readonly dbgsrc: string;
}

/** The GNU build id of `path` (`readelf -n`), or "". */
async function buildId(path: string, cwd: string): Promise<string> {
  const r = await runTool("readelf", ["-n", path], cwd);
  return /Build ID: *([0-9a-f]+)/.exec(r.stdout)?.[1] ?? "";
}

/** Whether `path` exists as a regular file (following symlinks, as `[[ -f ]]`). */
async function isFile(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null))?.isFile ?? false;
}

/** Copies the sources `debugedit` lists for `rel` into the debug package (rewriting their paths in it). */
async function copyDebugSources(split: DebugSplit, rel: string): Promise<void> {
  const { ctx } = split;
  const listed = await runTool("debugedit", [
    "--no-recompute-build-id",
    "--base-dir",
    ctx.srcdir,
    "--dest-dir",
    `${ctx.config.dbgsrcdir}/${ctx.pkgbase}`,
    "--list-file",
    "/dev/stdout",
    rel,
  ], ctx.pkgdir);
  const names = [...new Set(listed.stdout.split("\0").filter((t) => t !== ""))].sort();
  for (const t of names) {
    const file = join(ctx.srcdir, t);
    const dest = join(split.dbgsrc, t);
    if (await isFile(file) && !await isFile(dest)) {
      await Deno.mkdir(dirname(dest), { recursive: true });
      await Deno.copyFile(file, dest);
    }
  }
}

/**
 * Splits the debug information of `rel` (relative to the package tree);
 * false when the file must not be stripped (already split, or a format
 * objcopy does not know).
 */
export async function splitDebugInfo(split: DebugSplit, rel: string): Promise<boolean> {
  const { ctx, dbgdir } = split;
  const bid = await buildId(rel, ctx.pkgdir);
  if (bid && await isFile(join(dbgdir, ".build-id", bid.slice(0, 2), `${bid.slice(2)}.debug`))) {
    return false;
  }
  if (!bid && await isFile(join(dbgdir, `${rel}.debug`))) return false;
  await copyDebugSources(split, rel);
  await Deno.mkdir(join(dbgdir, dirname(rel)), { recursive: true });
  const debugFile = join(dbgdir, `${rel}.debug`);
  if (!(await runTool("objcopy", ["--only-keep-debug", rel, debugFile], ctx.pkgdir)).ok) {
    return false;
  }
  const tmp = join(ctx.pkgdir, `${rel}.${crypto.randomUUID().slice(0, 6)}`);
  try {
    await runTool("objcopy", [`--add-gnu-debuglink=${debugFile}`, rel, tmp], ctx.pkgdir);
    await Deno.writeFile(join(ctx.pkgdir, rel), await Deno.readFile(tmp));
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  await linkHardLinks(split, rel);
  if (bid) await linkBuildId(dbgdir, rel, bid);
  return true;
}

/** Gives every other name of the same inode its own `.debug` hard link. */
async function linkHardLinks(split: DebugSplit, rel: string): Promise<void> {
  const { ctx, dbgdir } = split;
  const ino = (await Deno.stat(join(ctx.pkgdir, rel))).ino;
  for (const e of await walkPackage(ctx.pkgdir)) {
    if (e.rel === rel || !e.info.isFile || ((e.info.mode ?? 0) & 0o200) === 0) continue;
    if (e.info.ino !== ino || await isFile(join(dbgdir, `${e.rel}.debug`))) continue;
    await Deno.mkdir(join(dbgdir, dirname(e.rel)), { recursive: true });
    await Deno.link(join(dbgdir, `${rel}.debug`), join(dbgdir, `${e.rel}.debug`));
  }
}

/** The `.build-id/xx/rest` and `.build-id/xx/rest.debug` symlinks, with makepkg's targets. */
async function linkBuildId(dbgdir: string, rel: string, bid: string): Promise<void> {
  const dir = join(dbgdir, ".build-id", bid.slice(0, 2));
  await Deno.mkdir(dir, { recursive: true });
  const target = `../../../../../${rel}`.replace("../../usr/lib/", "").replace("../usr/", "");
  await Deno.symlink(target, join(dir, bid.slice(2))).catch(() => {});
  await Deno.symlink(`../../${rel}.debug`, join(dir, `${bid.slice(2)}.debug`)).catch(() => {});
}
