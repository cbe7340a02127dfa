/**
 * The sharing policy of the local package cache (`package_cache.ts`): when
 * a file's data is shared between a cache entry and an installed root, and
 * what of an entry is trusted. The one owner of these decisions.
 *
 * - **At most one root shares an entry file.** An entry file may have its
 *   inode shared with at most one installed file. A cold install keeps its
 *   build by hard-linking the files it just installed into the new entry
 *   ({@link keepInstalledFile}). Installing from an entry
 *   ({@link takeEntryFile}) hard-links a file into staging only when nobody
 *   else holds it (link count 1, checked again after linking, so two
 *   installs racing for it both see the other and copy); otherwise it is
 *   copied (`copy_file_range`, a reflink on XFS and btrfs). An edit in one
 *   root can so reach at most the entry, never another root.
 * - **`backup` files are never shared**: the recipe names them as the files
 *   an operator edits; they are always copied, both ways.
 * - **The entry is trusted on its stamp.** Each entry file's size, mtime,
 *   inode and mode are recorded when the entry is made ({@link stampOf};
 *   not ctime, which linking changes). An in-place edit in the root sharing
 *   a file changes them (`>>`, `truncate`, `chmod`, `cp` over it): the
 *   entry is then damaged, removed and the worker built again. The digests
 *   of an entry's manifest come from hashing the files while they were
 *   staged; they are not re-hashed unless the deep check is asked for
 *   (`packageCache: "deep"`, `checkEntryContent`), which catches an edit that
 *   restored the size and mtime. Deno exposes mtimes in milliseconds, so
 *   that is the stamp's resolution.
 *
 * @module
 */

import { copyFileWithMode, isCrossDevice, modeOf } from "./_fs.ts";

/** What an entry file is trusted on: its stat when the entry was made. */
export interface FileStamp {
  /** Inode number. */
  readonly ino: number;
  /** Size in bytes. */
  readonly size: number;
  /** Modification time, in milliseconds since the epoch (Deno's resolution). */
  readonly mtimeMs: number;
  /** Permission bits. */
  readonly mode: number;
}

/** The stamp of `info`. */
export function stampOf(info: Deno.FileInfo): FileStamp {
  return {
    ino: info.ino ?? -1,
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? -1,
    mode: modeOf(info),
  };
}

/** Which field of `stamp` `info` no longer matches (`size`, `mtime`, `inode`, `mode`), or null. */
export function stampMismatch(stamp: FileStamp, info: Deno.FileInfo): string | null {
  const now = stampOf(info);
  if (now.size !== stamp.size) return "size";
  if (now.mtimeMs !== stamp.mtimeMs) return "mtime";
  if (now.ino !== stamp.ino) return "inode";
  if (now.mode !== stamp.mode) return "mode";
  return null;
}

/** How an entry file reached staging. */
export interface TakenFile {
  /** Hard-linked (shares the entry's inode and its durable data) or copied. */
  readonly linked: boolean;
  /** lstat of the staged file. */
  readonly info: Deno.FileInfo;
}

/**
 * Takes the entry file `src` (lstat `info`) into staging as `dest`: a hard
 * link when it is not a `backup` file, lies on `stagingDev` and nobody else
 * holds it (link count 1 before and 2 after linking); a copy with `mode`
 * otherwise.
 */
export function takeEntryFile(
  src: string,
  dest: string,
  info: Deno.FileInfo,
  file: { readonly mode: number; readonly backup?: boolean },
  stagingDev: number,
): TakenFile {
  if (!file.backup && info.dev === stagingDev && info.nlink === 1) {
    try {
      Deno.linkSync(src, dest);
      const linked = Deno.lstatSync(dest);
      if (linked.nlink === 2) return { linked: true, info: linked };
      Deno.removeSync(dest); // another install linked it meanwhile: neither keeps a second root
    } catch (error) {
      if (!isCrossDevice(error)) throw error;
    }
  }
  copyFileWithMode(src, dest, file.mode);
  return { linked: false, info: Deno.lstatSync(dest) };
}

/**
 * Keeps the installed file `installed` in a new entry as `dest`: a hard
 * link; a copy, made durable, for a `backup` file or across filesystems.
 * `staged` is its stamp when it was staged and hashed; null when the file
 * changed since (another inode, size, mtime or mode: the digest would not
 * be its own), then the entry must not be stored. Returns the stamp of the
 * entry's file.
 */
export function keepInstalledFile(
  installed: string,
  dest: string,
  staged: FileStamp,
  backup: boolean,
): FileStamp | null {
  if (!backup) {
    try {
      Deno.linkSync(installed, dest);
      const info = Deno.lstatSync(dest);
      return stampMismatch(staged, info) ? null : stampOf(info);
    } catch (error) {
      if (!isCrossDevice(error)) throw error;
    }
  }
  if (stampMismatch(staged, Deno.lstatSync(installed))) return null;
  copyFileWithMode(installed, dest, staged.mode);
  using file = Deno.openSync(dest, { read: true });
  file.syncDataSync();
  return stampOf(file.statSync());
}
