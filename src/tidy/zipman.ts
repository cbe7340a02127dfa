/**
 * libmakepkg `tidy/zipman.sh`: with `zipman`, compresses every regular file
 * under `MAN_DIRS` not already `.gz`/`.bz2` with `gzip -9 -n`; symlinks
 * pointing at it are re-pointed at the `.gz` (relative within the same
 * directory, absolute otherwise), and further hard links of the same file
 * become hard links of the compressed one (mode 644).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { throwIfCancelled } from "../errors.ts";
import { optionIs, runTool, type TidyContext } from "./context.ts";
import { type TreePath, walkPackage } from "./_walk.ts";

/** Every path under the man directories in `find`'s order (literal paths; a symlinked directory is not entered). */
async function manPaths(ctx: TidyContext): Promise<TreePath[]> {
  const out: TreePath[] = [];
  for (const dir of ctx.config.manDirs) {
    const info = await Deno.lstat(join(ctx.pkgdir, dir)).catch(() => null);
    if (!info) continue;
    const top = { rel: dir, path: join(ctx.pkgdir, dir), info };
    out.push(top);
    if (!info.isDirectory) continue;
    for (const e of await walkPackage(top.path, false, "", true)) {
      out.push({ ...e, rel: `${dir}/${e.rel}` });
    }
  }
  return out;
}

/** Re-points the symlinks that resolve to `file` at `file.gz`, as zipman does. */
async function repointLinks(file: TreePath, links: readonly TreePath[]) {
  for (const link of links) {
    const target = await Deno.stat(link.path).catch(() => null);
    if (!target || target.ino !== file.info.ino || target.dev !== file.info.dev) continue;
    await Deno.remove(link.path).catch(() => {});
    await Deno.remove(`${link.path}.gz`).catch(() => {});
    const to = dirname(file.rel) === dirname(link.rel)
      ? `${basename(file.rel)}.gz`
      : `/${file.rel}.gz`;
    await Deno.symlink(to, `${link.path}.gz`);
  }
}

/** The `zipman` step. */
export async function tidyZipman(ctx: TidyContext): Promise<void> {
  if (!optionIs(ctx, "zipman", "y") || ctx.config.manDirs.length === 0) return;
  const paths = await manPaths(ctx);
  const files = paths.filter((e) =>
    e.info.isFile && !e.rel.endsWith(".gz") && !e.rel.endsWith(".bz2")
  );
  const compressed = new Map<number, string>();
  for (const file of files) {
    throwIfCancelled(ctx.signal, "Compressing man pages");
    const links = (await manPaths(ctx)).filter((e) => e.info.isSymlink);
    await repointLinks(file, links);
    const ino = file.info.ino ?? -1;
    const first = compressed.get(ino);
    if (first === undefined) {
      compressed.set(ino, file.rel);
      await runTool("gzip", ["-9", "-n", "-f", file.rel], ctx.pkgdir);
    } else {
      await Deno.remove(file.path);
      await Deno.link(join(ctx.pkgdir, `${first}.gz`), `${file.path}.gz`);
      await Deno.chmod(`${file.path}.gz`, 0o644);
    }
  }
}
