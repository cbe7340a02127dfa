/**
 * An exclusive `flock(2)` on a lock file that is removed on release: the
 * primitive under the source cache's per-file locks and the provisioner's
 * worker and install-tree locks.
 *
 * The kernel releases an flock when its holder dies (even by SIGKILL), so a
 * lock never goes stale. The wait polls `Deno.FsFile.tryLock(true)` with a
 * backoff growing from 5 ms to 200 ms, so an `AbortSignal` or a deadline
 * ends it promptly (a blocking `lock(true)` holds a thread until granted,
 * deaf to Ctrl-C).
 *
 * Removing a lock file is safe only with the classic protocol:
 *
 * 1. The holder unlinks the lock file *while still holding* the lock, then
 *    closes it (which unlocks).
 * 2. Every acquirer, once `tryLock` succeeds, compares its descriptor's
 *    `fstat` (`ino`, `dev`) with `stat` of the path. If the path is gone or
 *    names another inode, it locked a file a previous holder already
 *    unlinked: it closes it and tries again on the path's current file.
 *
 * So the lock held is always the one on the inode the path names, and at
 * most one process holds that. A process killed outright while holding the
 * lock leaves an empty lock file; the next holder removes it.
 *
 * @module
 */

import { dirname } from "./_path.ts";
import { CancelledError } from "./errors.ts";
import { sleep } from "./_sleep.ts";

/** Options of {@link lockFileAt}. */
export interface FlockWaitOptions {
  /** What is waited for, for the cancellation message, e.g. `Waiting for the lock of x`. */
  readonly what: string;
  /** Cancels the wait (the call rejects with {@link CancelledError}). */
  readonly signal?: AbortSignal;
  /** Called once when the lock is busy and the call starts waiting. */
  readonly onWait?: () => void | Promise<void>;
  /** When to give up (`Date.now()` milliseconds); the call then resolves to `null`. @default never */
  readonly deadline?: number;
}

/** Backoff of the poll: first and largest delay, in ms. */
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 200;

/**
 * Polls until this call holds the lock on the file `path` names (created,
 * with its directory, when missing) and returns that file, or `null` once
 * `options.deadline` has passed. The waiting descriptor is kept across polls;
 * when the lock it gets is on an inode a previous holder already unlinked,
 * it reopens the path.
 */
export async function lockFileAt(
  path: string,
  options: FlockWaitOptions,
): Promise<Deno.FsFile | null> {
  let delay = FIRST_POLL_MS;
  let waiting = false;
  let file: Deno.FsFile | undefined;
  try {
    for (;;) {
      throwIfAborted(options);
      file ??= await openLockFile(path);
      if (await file.tryLock(true)) {
        if (await namesSameFile(path, file)) return file;
        file.close(); // the previous holder unlinked it: lock the path's current file
        file = undefined;
        continue;
      }
      const left = (options.deadline ?? Infinity) - Date.now();
      if (left <= 0) {
        file.close();
        return null;
      }
      if (!waiting) {
        waiting = true;
        await options.onWait?.();
      }
      await sleep(Math.min(delay, left), options.signal);
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  } catch (error) {
    file?.close();
    throw error;
  }
}

/** Releases a lock {@link lockFileAt} gave: unlinks `path` while still holding it, then closes it. */
export async function unlockAndRemove(path: string, file: Deno.FsFile): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  } finally {
    file.close();
  }
}

function throwIfAborted(options: FlockWaitOptions): void {
  if (options.signal?.aborted) {
    throw new CancelledError(options.what, { cause: options.signal.reason });
  }
}

/** Opens (creating) the lock file `path`, creating its directory when missing. */
async function openLockFile(path: string): Promise<Deno.FsFile> {
  for (let attempt = 0;; attempt++) {
    try {
      return await Deno.open(path, { read: true, write: true, create: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt > 10) throw error;
      await Deno.mkdir(dirname(path), { recursive: true }); // (again, if a releaser removed it)
    }
  }
}

/** Whether `path` still names the inode open as `file`. */
async function namesSameFile(path: string, file: Deno.FsFile): Promise<boolean> {
  const held = await file.stat();
  let named: Deno.FileInfo;
  try {
    named = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  return named.ino === held.ino && named.dev === held.dev;
}
