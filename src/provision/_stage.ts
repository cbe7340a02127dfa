/**
 * Staging: copies the package trees a recipe produced into the transaction's
 * staging directory (in the state directory, on the root's filesystem),
 * hashing every file on the way, and maps every path to its destination.
 *
 * When the trees may be consumed (the build directory is discarded after the
 * install) and a file lies on the staging directory's filesystem, it is
 * hashed where it is, its data flushed (`fsync` on the file, as the copy
 * was), and renamed into the staging directory instead of copied: the same
 * bytes reach the disk once instead of twice. A renamed file keeps its
 * owner, mode and links as the recipe left them (a copy is owned by the
 * installer, which runs the recipe as the same user).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { refuseIf, reservedPathProblem } from "../boundary/package_path.ts";
import { throwIfCancelled } from "../errors.ts";
import { hashFileInto } from "../_hash.ts";
import { isCrossDevice, modeOf, walkTree } from "./_fs.ts";
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
const PACKAGE_METADATA = new Set([".PKGINFO", ".BUILDINFO", ".MTREE", ".INSTALL", ".CHANGELOG"]);

/** Copies `src` to `dest` (created new, with `mode`), returning its sha256. */
async function copyHashing(src: string, dest: string, mode: number): Promise<string> {
  const hash = createHash("sha256");
  using output = await Deno.open(dest, { write: true, createNew: true, mode: 0o600 });
  await hashFileInto(src, hash, { copyTo: output });
  await output.sync();
  await Deno.chmod(dest, mode);
  return hash.digest("hex");
}

/**
 * Hashes `src` in place, flushes its data and renames it to `dest`; returns
 * its sha256, or `undefined` when the rename crosses a mount (same device,
 * e.g. a bind mount: the caller copies instead).
 */
async function moveHashing(src: string, dest: string): Promise<string | undefined> {
  const hash = createHash("sha256");
  {
    using input = await Deno.open(src, { read: true });
    const buf = new Uint8Array(1 << 20);
    for (;;) {
      const n = await input.read(buf);
      if (n === null) break;
      hash.update(buf.subarray(0, n));
    }
    await input.sync();
  }
  try {
    await Deno.rename(src, dest);
  } catch (error) {
    if (isCrossDevice(error)) return undefined;
    throw error;
  }
  return hash.digest("hex");
}

/**
 * Stages `trees` into `stagingDir/new/`, returning one entry per path
 * (parents first). With `consume`, files on the staging directory's
 * filesystem are moved out of the trees instead of copied.
 */
export async function stageTrees(
  layout: Layout,
  trees: readonly PackageTree[],
  stagingDir: string,
  signal?: AbortSignal,
  consume = false,
): Promise<StagedEntry[]> {
  const newDir = join(stagingDir, "new");
  await Deno.mkdir(newDir, { recursive: true });
  const stagingDev = consume ? (await Deno.stat(newDir)).dev : -1;
  const entries: StagedEntry[] = [];
  const seen = new Map<string, string>();
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
        const staged = String(n++);
        const target = await Deno.readLink(e.path);
        await Deno.symlink(target, join(newDir, staged));
        entries.push({ dest, type, mode: 0o777, size: 0, target, staged });
      } else {
        const staged = String(n++);
        const stagedPath = join(newDir, staged);
        const sha256 =
          (e.info.dev === stagingDev ? await moveHashing(e.path, stagedPath) : undefined) ??
            await copyHashing(e.path, stagedPath, mode);
        entries.push({ dest, type, mode, size: e.info.size, sha256, staged });
      }
    }
  }
  return entries;
}
