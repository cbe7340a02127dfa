/**
 * Staging: puts the package trees a recipe produced into the transaction's
 * staging directory (in the state directory, on the root's filesystem),
 * hashes every staged file, and maps every path to its destination.
 *
 * When the trees may be consumed (the build directory is discarded after the
 * install) and a file lies on the staging directory's filesystem, it is
 * renamed into the staging directory; otherwise (a local package cache
 * entry among them: an installed file never shares its data with the
 * cache) it is copied in the kernel (`copy_file_range`, a reflink on
 * filesystems that share extents). A renamed file keeps its owner, mode and links as the
 * recipe left them (a copy is owned by the installer, which runs the recipe
 * as the same user). Each staged file is then hashed where it lies, with
 * synchronous reads into one buffer. Its data reaches the disk before the
 * journal is written, as before, but in one batch at the end of staging:
 * up to 32 `fsync`s in flight, which the filesystem commits together
 * (instead of one journal commit per file), then one `fsync` of the staging
 * directory.
 *
 * @module
 */

import { sha256FileBlocking } from "../_hash.ts";
import { join } from "node:path";
import { refuseIf, reservedPathProblem } from "../boundary/package_path.ts";
import { throwIfCancelled } from "../errors.ts";
import { isCrossDevice, modeOf, syncDir, walkTree } from "./_fs.ts";
import { PackageInvalidError } from "./errors.ts";
import { destinationOf, type Layout, reservedDirs } from "./paths.ts";

/** A package tree produced by the recipe (`$pkgdir` of one package). */
export interface PackageTree {
  /** The package name. */
  readonly name: string;
  /** Its `$pkgdir`. */
  readonly dir: string;
}

/** One staged path. */
export interface StagedEntry {
  /** The absolute destination. */
  readonly dest: string;
  /** What it is. */
  readonly type: "file" | "dir" | "symlink";
  /** Permission bits. */
  readonly mode: number;
  /** Size in bytes (files). */
  readonly size: number;
  /** sha256 (files). */
  readonly sha256?: string;
  /** Link target (symlinks). */
  readonly target?: string;
  /** Name of the staged copy inside `new/` (files and symlinks). */
  readonly staged?: string;
}

/** Files makepkg writes at a package's root that are metadata, not content. */
export const PACKAGE_METADATA: ReadonlySet<string> = new Set([
  ".PKGINFO",
  ".BUILDINFO",
  ".MTREE",
  ".INSTALL",
  ".CHANGELOG",
]);

/** Files whose data is flushed at once by {@link syncFiles}. */
const SYNC_CONCURRENCY = 32;

/**
 * Flushes the data of every file in `paths` (`fsync`), up to 32 at once so
 * the filesystem commits them together instead of one journal commit per
 * file, then the directory `dir` that holds their names.
 */
export async function syncFiles(
  paths: readonly string[],
  dir: string,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      throwIfCancelled(signal, "Staging");
      using file = await Deno.open(paths[next++], { read: true });
      await file.sync();
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, paths.length) }, worker));
  await syncDir(dir);
}

/** Copies `src` to `dest` (created new, with `mode`; `copy_file_range` in the kernel). */
function copyInto(src: string, dest: string, mode: number): void {
  // synchronous: an async call per file costs a thread hand-off each
  Deno.copyFileSync(src, dest);
  Deno.chmodSync(dest, mode);
}

/**
 * Renames `src` to `dest`; false when that crosses a mount (same device,
 * e.g. a bind mount: the caller copies instead).
 */
function moveInto(src: string, dest: string): boolean {
  try {
    Deno.renameSync(src, dest);
    return true;
  } catch (error) {
    if (isCrossDevice(error)) return false;
    throw error;
  }
}

/**
 * How staging takes a tree's files when they lie on the staging directory's
 * filesystem: `move` (rename; the tree is discarded afterwards) or `copy`
 * (always, in the kernel; the tree is kept, e.g. a package cache entry).
 */
export type StageTransfer = "copy" | "move";

/**
 * Stages `trees` into `stagingDir/new/`, returning one entry per path
 * (parents first). Files on the staging directory's filesystem are taken
 * as `transfer` says, the others copied.
 */
export async function stageTrees(
  layout: Layout,
  trees: readonly PackageTree[],
  stagingDir: string,
  signal?: AbortSignal,
  transfer: StageTransfer = "copy",
): Promise<StagedEntry[]> {
  const newDir = join(stagingDir, "new");
  await Deno.mkdir(newDir, { recursive: true });
  const stagingDev = transfer !== "copy" ? (await Deno.stat(newDir)).dev : -1;
  const entries: StagedEntry[] = [];
  const seen = new Map<string, string>();
  const staged: string[] = [];
  let n = 0;
  for (const tree of trees) {
    for (const e of await walkTree(tree.dir)) {
      throwIfCancelled(signal, "Staging");
      if (!e.rel.includes("/") && PACKAGE_METADATA.has(e.rel)) continue;
      const dest = destinationOf(layout, e.rel);
      const mode = modeOf(e.info);
      const type = e.info.isDirectory
        ? "dir"
        : e.info.isSymlink
        ? "symlink"
        : e.info.isFile
        ? "file"
        : null;
      if (type === null) {
        throw new PackageInvalidError(`${tree.name}:${e.rel}`, "not a file, directory or symlink");
      }
      const source = `package ${tree.name}`;
      refuseIf(reservedPathProblem(dest, type, reservedDirs(layout)), e.rel, source);
      const other = seen.get(dest);
      if (other !== undefined) {
        if (type === "dir") continue;
        throw new PackageInvalidError(`${tree.name}:${e.rel}`, `package ${other} also ships it`);
      }
      seen.set(dest, tree.name);
      if (type === "dir") {
        entries.push({ dest, type, mode, size: 0 });
      } else if (type === "symlink") {
        const name = String(n++);
        const target = await Deno.readLink(e.path);
        await Deno.symlink(target, join(newDir, name));
        entries.push({ dest, type, mode: 0o777, size: 0, target, staged: name });
      } else {
        const name = String(n++);
        const stagedPath = join(newDir, name);
        const moved = transfer !== "copy" && e.info.dev === stagingDev &&
          moveInto(e.path, stagedPath);
        if (!moved) copyInto(e.path, stagedPath, mode);
        const sha256 = await sha256FileBlocking(stagedPath, signal);
        staged.push(stagedPath);
        entries.push({ dest, type, mode, size: e.info.size, sha256, staged: name });
      }
    }
  }
  await syncFiles(staged, newDir, signal);
  return entries;
}
