/**
 * The local package cache: the package trees of a successful build kept in
 * the cache directory, unpacked, under the key of everything that decided
 * their content (`_package_cache_key.ts`), so that installing the same
 * build again (a reinstall, an install into another root sharing the cache,
 * an upgrade back) links or copies them into the transaction
 * (`_cache_sharing.ts`) instead of fetching, extracting and running the
 * recipe.
 *
 * Layout: `CACHEDIR/packages/<id>/<key>/entry.json` (the manifest: every
 * path with type, mode, size, sha256 or link target, each file's stamp,
 * and what the record of an install needs) and `.../<key>/tree/<pkgname>/...`. An entry is
 * written under a temporary name (`.<key>.<random>.tmp`) and renamed into
 * place whole; it is only read when `entry.json` parses.
 *
 * An entry is trusted only as far as it is checked: its tree's paths,
 * types, modes, sizes, link targets and each file's stamp (inode, mtime)
 * against the manifest before staging ({@link checkEntryTree}); the deep
 * check ({@link checkEntryContent}) re-hashes every file. What is shared
 * with a root and why the stamp is enough: `_cache_sharing.ts`. A damaged
 * entry is refused, never installed from.
 *
 * @module
 */

import { join, relative } from "node:path";
import { modeOf, walkTree } from "./_fs.ts";
import { type FileStamp, stampMismatch } from "./_cache_sharing.ts";
import { sha256FileBlocking } from "../_hash.ts";
import { CancelledError } from "../errors.ts";
import type { InstallMetadata } from "./install.ts";
import { CACHE_ENTRY_FIELDS, fieldsProblem } from "../boundary/record_schema.ts";

/** The cache directory's subdirectory of package entries. */
export const PACKAGE_CACHE_SUBDIR = "packages";

/** One path of a cached package tree, relative to `tree/` (`<pkgname>/usr/bin/x`). */
export interface CachedFile {
  /** `<pkgname>/<path in the package>`. */
  readonly path: string;
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
  /** Inode number when the entry was made (files; see `_cache_sharing.ts`). */
  readonly ino?: number;
  /** Modification time in milliseconds when the entry was made (files). */
  readonly mtimeMs?: number;
  /** A `backup` file of its package: never shared with a root. */
  readonly backup?: boolean;
}

/** The manifest of one cached build (`entry.json`). */
export interface PackageCacheEntry {
  /** Format of the entry (2: hard links and stamps). */
  readonly schema: 2;
  /** The cache key. */
  readonly key: string;
  /** The worker id. */
  readonly id: string;
  /** The full version the build produced. */
  readonly version: string;
  /** When it was built (ISO 8601). */
  readonly builtAt: string;
  /** The package trees, in install order. */
  readonly packages: readonly string[];
  /** Every path of every tree. */
  readonly files: readonly CachedFile[];
  /** What an install records, besides the files (origin excepted: the install's own). */
  readonly metadata: Omit<InstallMetadata, "origin">;
}

/** An entry as `cache list` shows it. */
export interface PackageCacheItem {
  /** Path relative to the cache directory. */
  readonly path: string;
  /** The worker id. */
  readonly id: string;
  /** The version, when the manifest is readable. */
  readonly version?: string;
  /** Bytes used (each file counted once, however many links it has). */
  readonly bytes: number;
  /**
   * Of {@link bytes}, those of files also linked from elsewhere (an
   * installed worker's files share the entry's inodes,
   * `_cache_sharing.ts`): removing the entry does not free them.
   */
  readonly sharedBytes: number;
  /** An interrupted save (`.tmp`), or an entry whose manifest does not parse. */
  readonly incomplete?: boolean;
}

/** Where the entries of worker `id` live. */
export function packageDirOf(cacheDir: string, id: string): string {
  return join(cacheDir, PACKAGE_CACHE_SUBDIR, id);
}

/** The directory of the entry `key` of worker `id`. */
export function entryDirOf(cacheDir: string, id: string, key: string): string {
  return join(packageDirOf(cacheDir, id), key);
}

/**
 * Why `value` is not an entry manifest for `id` and `key`, or null: the
 * schema of the boundary ({@link CACHE_ENTRY_FIELDS}), then that it names
 * this entry and that every file lies in one of its package trees.
 */
function entryProblem(value: unknown, id: string, key: string): string | null {
  if (typeof value !== "object" || value === null) return "entry.json is not an object";
  const schema = fieldsProblem(value as Record<string, unknown>, CACHE_ENTRY_FIELDS);
  if (schema) return `entry.json: ${schema}`;
  const e = value as PackageCacheEntry;
  if (e.key !== key || e.id !== id || e.metadata.id !== id) {
    return "entry.json names another key or worker";
  }
  const packages = new Set(e.packages);
  const outside = e.files.find((f) => !packages.has(f.path.split("/")[0]));
  if (outside) return `entry.json lists ${outside.path} outside its package trees`;
  const unstamped = e.files.find((f) =>
    f.type === "file" && (f.sha256 === undefined || f.ino === undefined || f.mtimeMs === undefined)
  );
  if (unstamped) return `entry.json has no sha256, inode or mtime for ${unstamped.path}`;
  return null;
}

/** The result of reading an entry: absent, damaged (with why), or its manifest. */
export type EntryRead =
  | { readonly state: "absent" }
  | { readonly state: "damaged"; readonly reason: string }
  | { readonly state: "ok"; readonly entry: PackageCacheEntry; readonly dir: string };

/** Reads the manifest of entry `key` of worker `id`. */
export async function readEntry(cacheDir: string, id: string, key: string): Promise<EntryRead> {
  const dir = entryDirOf(cacheDir, id, key);
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, "entry.json"));
  } catch (error) {
    // Unreadable (permissions, I/O) counts as absent: the worker is built, as without a cache.
    if (!(error instanceof Deno.errors.NotFound)) return { state: "absent" };
    const exists = await Deno.lstat(dir).then(() => true, () => false);
    return exists ? { state: "damaged", reason: "entry.json is missing" } : { state: "absent" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: "damaged", reason: "entry.json is not valid JSON" };
  }
  const problem = entryProblem(value, id, key);
  if (problem) return { state: "damaged", reason: problem };
  return { state: "ok", entry: value as PackageCacheEntry, dir };
}

/**
 * Why the tree of `entry` (in `dir`) differs from its manifest (a path
 * missing or extra, another type, mode, size or link target), or null.
 * File contents are checked by staging, which hashes every file.
 */
export async function checkEntryTree(
  entry: PackageCacheEntry,
  dir: string,
): Promise<string | null> {
  const tree = join(dir, "tree");
  const expected = new Map(entry.files.map((f) => [f.path, f]));
  let seen = 0;
  let found;
  try {
    found = await walkTree(tree);
  } catch (error) {
    return `its tree cannot be read: ${(error as Error).message}`;
  }
  for (const e of found) {
    if (!e.rel.includes("/")) continue; // the <pkgname> directories
    const want = expected.get(e.rel);
    if (!want) return `${e.rel} is not in its manifest`;
    seen++;
    const type = e.info.isDirectory ? "dir" : e.info.isSymlink ? "symlink" : "file";
    if (type !== want.type) return `${e.rel} is a ${type}, not a ${want.type}`;
    if (type === "file" && e.info.size !== want.size) {
      return `${e.rel} has ${e.info.size} bytes, not ${want.size}`;
    }
    if (type !== "symlink" && modeOf(e.info) !== want.mode) {
      return `${e.rel} has mode ${modeOf(e.info).toString(8)}, not ${want.mode.toString(8)}`;
    }
    const changed = type === "file" ? stampMismatch(stampOfFile(want), e.info) : null;
    if (changed) return `${e.rel} changed since it was stored (its ${changed})`;
    if (type === "symlink" && Deno.readLinkSync(e.path) !== want.target) {
      return `${e.rel} points elsewhere than its manifest says`;
    }
  }
  return seen === expected.size
    ? null
    : `${expected.size - seen} path(s) of its manifest are missing`;
}

/** The stamp the manifest records for the regular file `file`. */
function stampOfFile(file: CachedFile): FileStamp {
  return { ino: file.ino ?? -1, size: file.size, mtimeMs: file.mtimeMs ?? -1, mode: file.mode };
}

/**
 * The deep check: why a file of `entry` (in `dir`) does not have the sha256
 * its manifest names, or null. Re-hashes every byte (what the stamps of
 * {@link checkEntryTree} cannot see: a change that kept size and mtime).
 */
export async function checkEntryContent(
  entry: PackageCacheEntry,
  dir: string,
  signal?: AbortSignal,
): Promise<string | null> {
  for (const f of entry.files) {
    if (f.type !== "file") continue;
    let sha256;
    try {
      sha256 = await sha256FileBlocking(join(dir, "tree", f.path), signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      return `${f.path} cannot be read: ${(error as Error).message}`;
    }
    if (sha256 !== f.sha256) return `${f.path} does not have the sha256 its manifest names`;
  }
  return null;
}

/** Removes entry `key` of worker `id` (and the worker's directory when it is left empty). */
export async function removeEntry(cacheDir: string, id: string, key: string): Promise<void> {
  await Deno.remove(entryDirOf(cacheDir, id, key), { recursive: true }).catch(() => {});
  await Deno.remove(packageDirOf(cacheDir, id)).catch(() => {}); // only when empty
}

/**
 * The bytes of the files under `dir`, each inode counted once, and those of
 * inodes with links outside `dir` (link count above the links seen here).
 */
function bytesOf(dir: string): { bytes: number; sharedBytes: number } {
  const inodes = new Map<number, { size: number; nlink: number; seen: number }>();
  const walk = (path: string) => {
    for (const e of Deno.readDirSync(path)) {
      const child = join(path, e.name);
      if (e.isDirectory) walk(child);
      else if (e.isFile) {
        const info = Deno.lstatSync(child);
        const known = inodes.get(info.ino!);
        if (known) known.seen++;
        else inodes.set(info.ino!, { size: info.size, nlink: info.nlink ?? 1, seen: 1 });
      }
    }
  };
  walk(dir);
  let bytes = 0, sharedBytes = 0;
  for (const { size, nlink, seen } of inodes.values()) {
    bytes += size;
    if (nlink > seen) sharedBytes += size;
  }
  return { bytes, sharedBytes };
}

/** Every entry of the cache (complete or not), sorted by path. */
export async function listPackageCache(cacheDir: string): Promise<PackageCacheItem[]> {
  const base = join(cacheDir, PACKAGE_CACHE_SUBDIR);
  const items: PackageCacheItem[] = [];
  const dirs = (path: string) => {
    try {
      return [...Deno.readDirSync(path)].filter((e) => e.isDirectory).map((e) => e.name);
    } catch {
      return [];
    }
  };
  for (const id of dirs(base)) {
    for (const name of dirs(join(base, id))) {
      const dir = join(base, id, name);
      const path = relative(cacheDir, dir);
      const size = bytesOf(dir);
      const read = name.endsWith(".tmp") ? null : await readEntry(cacheDir, id, name);
      items.push(
        read?.state === "ok"
          ? { path, id, version: read.entry.version, ...size }
          : { path, id, ...size, incomplete: true },
      );
    }
  }
  return items.sort((a, b) => a.path.localeCompare(b.path));
}
