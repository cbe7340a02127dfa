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
 * `<target>.verified` records the digests a pinned file had when it was
 * last hashed, with its size, mtime, inode and device: a warm fetch trusts
 * them while all four are unchanged instead of re-hashing the file
 * ({@link recordedDigests}); `verifyCache: "deep"` always re-hashes.
 *
 * ## The lock ({@link withFileLock})
 *
 * Tasks of one process queue on a promise chain per target; across
 * processes, an `flock(2)` on `<target>.lock` that polls (so Ctrl-C ends a
 * wait) and is removed when released, so no `.lock` file stays in the cache
 * once the last holder leaves (the protocol is in `src/_flock.ts`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { HashAlgorithm } from "../pkgbuild/model.ts";
import type { PlannedSource } from "./plan.ts";
import { CancelledError, throwIfCancelled } from "../errors.ts";
import { lockFileAt, unlockAndRemove } from "../_flock.ts";

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

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /**
   * Cancels the wait, for another process or for another task of this process
   * (the call then rejects with {@link CancelledError}). Not passed to `fn`.
   */
  readonly signal?: AbortSignal;
  /** Called once when another process holds the lock and this call starts waiting. */
  readonly onWait?: () => void;
  /** What the lock guards, for the cancellation message (e.g. a source's name). @default target */
  readonly label?: string;
}

/**
 * Runs `fn` while holding the exclusive lock of `target` (see the module doc):
 * queued behind this process's other holders of `target`, then an `flock` on
 * `<target>.lock` against other processes. The lock file is removed when `fn`
 * settles. Rejects with {@link CancelledError} when `options.signal` aborts
 * before the lock is held.
 */
export async function withFileLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const what = `Waiting for the cache lock of ${options.label ?? target}`;
  throwIfCancelled(options.signal, what);
  const leaveQueue = await enterQueue(target, options.signal, what);
  try {
    const path = `${target}.lock`;
    const { signal, onWait } = options;
    const file = (await lockFileAt(path, {
      what,
      ...(signal ? { signal } : {}),
      ...(onWait ? { onWait } : {}),
    }))!;
    try {
      throwIfCancelled(options.signal, what);
      return await fn();
    } finally {
      await unlockAndRemove(path, file);
    }
  } finally {
    leaveQueue();
  }
}

/** Waits until every earlier task of this process on `target` has left; returns the leave call. */
async function enterQueue(
  target: string,
  signal: AbortSignal | undefined,
  what: string,
): Promise<() => void> {
  const previous = processLocks.get(target) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((resolve) => (leave = resolve));
  // A task that gives up early leaves at once, but the chain still waits for
  // `previous`: whoever queued behind it keeps its place behind `previous`.
  const chained = previous.then(() => mine);
  processLocks.set(target, chained);
  chained.then(() => {
    if (processLocks.get(target) === chained) processLocks.delete(target);
  });
  try {
    await unlessAborted(previous, signal, what);
  } catch (error) {
    leave();
    throw error;
  }
  return leave;
}

/** Resolves with `promise`, or rejects with {@link CancelledError} as soon as `signal` aborts. */
function unlessAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError(what, { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The digests a cache file had when last hashed, and what the file looked like then. */
interface VerifiedStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly dev: number;
  readonly digests: Partial<Record<HashAlgorithm, string>>;
  /** What this content was fetched as, and for whom (for `cache list`). */
  readonly origins?: readonly CacheOrigin[];
}

/** A name a cached file was fetched under: its source, its URL and the worker that asked. */
export interface CacheOrigin {
  /** The source's file name. */
  readonly name: string;
  /** The URL it came from. */
  readonly url: string;
  /** The worker (id) whose recipe fetched it, when known. */
  readonly usedBy?: string;
}

/** The stamp recorded next to cache file `target`, when there is a readable one. */
async function readStamp(target: string): Promise<VerifiedStamp | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(stampPathFor(target))) as VerifiedStamp;
  } catch {
    return undefined;
  }
}

function originsOf(stamp: VerifiedStamp | undefined): CacheOrigin[] {
  return Array.isArray(stamp?.origins)
    ? stamp.origins.filter((o) => typeof o?.name === "string" && typeof o?.url === "string")
    : [];
}

/** Whether two origins name the same source, URL and worker. */
export function sameOrigin(a: CacheOrigin, b: CacheOrigin): boolean {
  return a.name === b.name && a.url === b.url && a.usedBy === b.usedBy;
}

/** The origins recorded next to cache file `target` (empty when none). */
export async function recordedOrigins(target: string): Promise<CacheOrigin[]> {
  return originsOf(await readStamp(target));
}

/** Where the digests of cache file `target` are recorded. */
export function stampPathFor(target: string): string {
  return `${target}.verified`;
}

function sameFile(stamp: VerifiedStamp, info: Deno.FileInfo): boolean {
  return stamp.size === info.size && stamp.mtimeMs === info.mtime?.getTime() &&
    stamp.ino === info.ino && stamp.dev === info.dev;
}

/**
 * The digests recorded for `target` by {@link recordDigests}, with the
 * origins recorded beside them, when its size, mtime, inode and device are
 * still those recorded; otherwise `undefined` (the caller hashes the file).
 */
export async function recordedDigests(
  target: string,
): Promise<
  { digests: Partial<Record<HashAlgorithm, string>>; origins: CacheOrigin[] } | undefined
> {
  const [info, stamp] = await Promise.all([
    Deno.stat(target).catch(() => undefined),
    readStamp(target),
  ]);
  if (!info?.isFile || !stamp || !sameFile(stamp, info)) return undefined;
  if (typeof stamp.digests !== "object" || stamp.digests === null) return undefined;
  return { digests: stamp.digests, origins: originsOf(stamp) };
}

/**
 * Records `digests` as those of cache file `target` as it is now (atomically
 * replaced), with `origin` added to the names it was fetched under.
 */
export async function recordDigests(
  target: string,
  digests: Partial<Record<HashAlgorithm, string>>,
  origin?: CacheOrigin,
): Promise<void> {
  const info = await Deno.stat(target);
  const known = await recordedOrigins(target);
  const origins = origin && !known.some((o) => sameOrigin(o, origin)) ? [...known, origin] : known;
  const stamp: VerifiedStamp = {
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? -1,
    ino: info.ino ?? -1,
    dev: info.dev,
    digests,
    ...(origins.length ? { origins } : {}),
  };
  const path = stampPathFor(target);
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(stamp));
  await Deno.rename(`${path}.tmp`, path);
}
