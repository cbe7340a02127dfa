/**
 * The per-worker lock: an exclusive `flock(2)` on `locks/<id>.lock` in the
 * state directory, taken with `Deno.FsFile.tryLock(true)`.
 *
 * Measured on Deno 2.9 / Linux: `tryLock` is a real flock — two handles in
 * one process exclude each other, another process is excluded, and the lock
 * is released when the handle closes or the process dies (even by SIGKILL).
 * So a lock can never go stale, and no pid-liveness guessing is needed; the
 * file still carries `pid@host since time` for messages.
 *
 * The lock file is removed on release. To stay correct with removal, an
 * acquirer checks after locking that the path still names the inode it
 * locked, and retries otherwise.
 *
 * Callers re-check the state (the record) after acquiring: another process
 * may have finished the same job while they waited.
 *
 * @module
 */

import { dirname } from "@std/path";
import { hostname } from "node:os";
import { CancelledError } from "../errors.ts";
import { LockBusyError } from "./errors.ts";

/** A held lock. */
export interface WorkerLock extends AsyncDisposable {
  /** The lock file. */
  readonly path: string;
  /** Releases the lock (idempotent). */
  release(): Promise<void>;
}

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** The worker id, for messages. */
  readonly id: string;
  /** How long to wait for a busy lock, in ms; `0` fails at once. @default 300000 */
  readonly timeoutMs?: number;
  /** Cancels the wait. */
  readonly signal?: AbortSignal;
  /** Called once when the lock is busy and the call starts waiting, with the holder. */
  readonly onWait?: (holder: string | undefined) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

async function readHolder(path: string): Promise<string | undefined> {
  try {
    const text = (await Deno.readTextFile(path)).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Tries once; returns the locked file or `null` when busy. */
async function tryOnce(path: string): Promise<Deno.FsFile | null> {
  await Deno.mkdir(dirname(path), { recursive: true });
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true, create: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return tryOnce(path); // dir removed meanwhile
    throw error;
  }
  try {
    if (!(await file.tryLock(true))) {
      file.close();
      return null;
    }
    const [held, named] = [await file.stat(), await Deno.stat(path).catch(() => null)];
    if (named === null || named.ino !== held.ino || named.dev !== held.dev) {
      file.close(); // the holder before us removed it: lock the new file instead
      return tryOnce(path);
    }
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/** Acquires the exclusive lock at `path`, waiting up to `timeoutMs`; throws {@link LockBusyError} after. */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<WorkerLock> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  let delay = 20;
  for (;;) {
    if (options.signal?.aborted) {
      throw new CancelledError(`Waiting for the lock of ${options.id}`, {
        cause: options.signal.reason,
      });
    }
    const file = await tryOnce(path);
    if (file) return held(path, file);
    if (Date.now() >= deadline) throw new LockBusyError(options.id, path, await readHolder(path));
    if (!waited) {
      waited = true;
      options.onWait?.(await readHolder(path));
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())), options.signal);
    delay = Math.min(delay * 2, 250);
  }
}

async function held(path: string, file: Deno.FsFile): Promise<WorkerLock> {
  const info = `pid ${Deno.pid}@${hostname()} since ${new Date().toISOString()}\n`;
  await file.truncate(0);
  await file.write(new TextEncoder().encode(info));
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await Deno.remove(path);
    } catch {
      // already gone
    }
    file.close();
    try {
      await Deno.remove(dirname(path)); // only when empty; a racing acquirer retries
    } catch {
      // not empty, or gone
    }
  };
  return { path, release, [Symbol.asyncDispose]: release };
}
