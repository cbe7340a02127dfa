/**
 * File-system helpers of the provision stage: hashing, atomic writes,
 * tree walks and moves that stay atomic across filesystems.
 *
 * @module
 */

import { basename, dirname, join } from "../_path.ts";
import { proveContained, type Scope } from "../boundary/contained_path.ts";

/** Returns the lstat of `path`, or `null` when it does not exist. */
export async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof Deno.errors.NotADirectory) return null;
    throw error;
  }
}

/**
 * Returns the lstat of `path`, or `null` when it does not exist; a
 * synchronous call, for the loops over every path of a package (an async
 * lstat costs a thread hand-off each, several times the call itself).
 */
export function lstatOrNullSync(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    if (error instanceof Deno.errors.NotADirectory) return null;
    throw error;
  }
}

/**
 * Copies `src` to the new file `dest` with `mode` (`copy_file_range` in the
 * kernel, a reflink where the filesystem has them); synchronous: an async
 * call per file costs a thread hand-off each.
 */
export function copyFileWithMode(src: string, dest: string, mode: number): void {
  Deno.copyFileSync(src, dest);
  Deno.chmodSync(dest, mode);
}

/** fsyncs the directory `dir` so a rename inside it is durable. */
export async function syncDir(dir: string): Promise<void> {
  try {
    using d = await Deno.open(dir, { read: true });
    await d.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/** The name prefix of {@link writeFileAtomic}'s temp files for `path` (`.<name>.`; they end in `.tmp`). */
export function tempPrefixOf(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Writes `text` to `path` atomically: a temp file in the same dir (named
 * `.<name>.<uuid>.tmp`, so a crash's leftover is found by its name), fsync,
 * rename, fsync dir.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `${tempPrefixOf(path)}${crypto.randomUUID()}.tmp`);
  try {
    {
      using file = await Deno.open(tmp, { write: true, createNew: true, mode });
      await file.write(new TextEncoder().encode(text));
      await file.sync();
    }
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

/** Writes `value` as pretty JSON to `path` atomically. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/** One entry of a tree walk. */
export interface TreeEntry {
  /** Path relative to the walked directory, `/`-separated, no leading `./`. */
  readonly rel: string;
  /** Absolute path. */
  readonly path: string;
  /** lstat of the entry. */
  readonly info: Deno.FileInfo;
}

/**
 * Walks `dir` depth-first (parents before children, sorted by name), never
 * following symlinks. Synchronous calls (see {@link lstatOrNullSync}); the
 * event loop gets a turn every 2,000 entries.
 */
export async function walkTree(dir: string, prefix = ""): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  await walkInto(dir, prefix, out);
  return out;
}

async function walkInto(dir: string, prefix: string, out: TreeEntry[]): Promise<void> {
  const names: string[] = [];
  for (const e of Deno.readDirSync(dir)) names.push(e.name);
  names.sort();
  for (const name of names) {
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const info = Deno.lstatSync(path);
    out.push({ rel, path, info });
    if (out.length % 2000 === 0) await new Promise((r) => setTimeout(r, 0));
    if (info.isDirectory) await walkInto(path, rel, out);
  }
}

/** Permission bits (and setuid/setgid/sticky) of `info`. */
export function modeOf(info: Deno.FileInfo): number {
  return (info.mode ?? 0) & 0o7777;
}

/** Whether `error` is a cross-device rename failure. */
export function isCrossDevice(error: unknown): boolean {
  return error instanceof Error &&
    /EXDEV|cross-device/i.test(`${(error as { code?: string }).code} ${error.message}`);
}

/**
 * Moves `from` to `to` (both on the caller's side of a transaction): a rename,
 * or, across filesystems, a copy to a temp name next to `to` then a rename,
 * so `to` appears whole or not at all.
 */
export async function moveAtomic(from: string, to: string): Promise<void> {
  try {
    Deno.renameSync(from, to);
    return;
  } catch (error) {
    if (!isCrossDevice(error)) throw error;
  }
  const info = await Deno.lstat(from);
  const tmp = join(dirname(to), `.${crypto.randomUUID()}.wp-move`);
  try {
    if (info.isSymlink) await Deno.symlink(await Deno.readLink(from), tmp);
    else {
      await Deno.copyFile(from, tmp);
      await Deno.chmod(tmp, modeOf(info));
    }
    await Deno.rename(tmp, to);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await Deno.remove(from);
}

/**
 * Removes `dir` when it is an empty directory; returns whether it did. With
 * `scope`, the directory is first proven to lie in it (symlinks resolved).
 */
export async function removeIfEmptyDir(dir: string, scope?: Scope): Promise<boolean> {
  const info = await lstatOrNull(dir);
  if (!info?.isDirectory) return false;
  try {
    await Deno.remove(scope ? await proveContained(dir, scope) : dir);
    return true;
  } catch {
    return false;
  }
}

/** Removes the leftover temp files of {@link writeFileAtomic} for `path` (a run killed while writing it). */
export async function removeTempFilesOf(path: string): Promise<string[]> {
  const dir = dirname(path);
  const prefix = tempPrefixOf(path);
  const removed: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.startsWith(prefix) && e.name.endsWith(".tmp")) {
        await Deno.remove(join(dir, e.name)).catch(() => {});
        removed.push(join(dir, e.name));
      }
    }
  } catch {
    // no directory: nothing left
  }
  return removed;
}
