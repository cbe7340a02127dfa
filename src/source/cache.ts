/**
 * The source cache. Files are stored by content: a source pinned by a
 * checksum lives at `<cacheDir>/content/<algorithm>/<digest>`, so a changed
 * upstream file under the same name can never be mistaken for the pinned
 * one. Sources whose arrays all say `SKIP` fall back to a name key,
 * `<cacheDir>/named/<hash of the URL>/<name>` (makepkg's `$SRCDEST`
 * behaviour: reused while present). Git mirrors live in
 * `<cacheDir>/git/<hash of the URL>/<name>`.
 *
 * A download writes `<target>.part` (with `<target>.part.json` holding the
 * resume validator) and is renamed onto `<target>` only once complete and
 * verified. An exclusive lock on `<target>.lock` keeps two fetchers
 * (processes or tasks) from writing the same file at once.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname, join } from "@std/path";
import type { HashAlgorithm } from "../pkgbuild/model.ts";
import type { PlannedSource } from "./plan.ts";

/** Checksum algorithms by preference for the content key (strongest first). */
const KEY_PREFERENCE: readonly HashAlgorithm[] = [
  "sha512",
  "b2",
  "sha384",
  "sha256",
  "sha224",
  "sha1",
  "md5",
  "ck",
];

/** Returns the cache file of a non-VCS `source`: content-keyed when pinned, name-keyed for SKIP. */
export function cachePathFor(cacheDir: string, source: PlannedSource): string {
  for (const algorithm of KEY_PREFERENCE) {
    const digest = source.checksums[algorithm];
    if (digest !== undefined) return join(cacheDir, "content", algorithm, digest);
  }
  return join(cacheDir, "named", urlKey(source.entry.url), source.entry.name);
}

/** Returns the directory of the git mirror of `url` named `name`. */
export function gitMirrorPathFor(cacheDir: string, url: string, name: string): string {
  return join(cacheDir, "git", urlKey(url), name);
}

/** Whether `source` is pinned (stored by content) rather than SKIP (stored by name). */
export function isContentKeyed(source: PlannedSource): boolean {
  return Object.keys(source.checksums).length > 0;
}

function urlKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 24);
}

/** Whether `path` exists as a regular file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Removes `path` if it exists. */
export async function removeIfExists(path: string, recursive = false): Promise<void> {
  try {
    await Deno.remove(path, { recursive });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

const processLocks = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding the exclusive lock of `target`: a promise chain
 * within this process, plus an `flock` on `<target>.lock` against other
 * processes (released by the kernel if the process dies).
 */
export async function withFileLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
  const previous = processLocks.get(target) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const chained = previous.then(() => mine);
  processLocks.set(target, chained);
  await previous;
  try {
    await Deno.mkdir(dirname(target), { recursive: true });
    using lock = await Deno.open(`${target}.lock`, { create: true, write: true });
    await lock.lock(true);
    try {
      return await fn();
    } finally {
      await lock.unlock();
    }
  } finally {
    release();
    if (processLocks.get(target) === chained) processLocks.delete(target);
  }
}
