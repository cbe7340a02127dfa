/**
 * The per-worker lock, an exclusive `flock(2)` on `locks/<id>.lock` in the
 * state directory, and the install-tree lock on `locks/.tree.lock`, taken
 * with `Deno.FsFile.tryLock(true)` (`src/_flock.ts`). A worker's lock is
 * held for its whole job; the tree lock only while a job reads the other
 * workers' records and changes files under the root (apply and record,
 * uninstall, recovery), so two jobs never decide about a shared directory or
 * path from records the other is about to change. The order is always the
 * worker's lock first, then the tree lock.
 *
 * Measured on Deno 2.9 / Linux: `tryLock` is a real flock — two handles in
 * one process exclude each other, another process is excluded, and the lock
 * is released when the handle closes or the process dies (even by SIGKILL).
 * So a lock can never go stale, and no pid-liveness guessing is needed; the
 * file still carries `pid@host since time` for messages.
 *
 * The lock file is removed on release (safely: see `src/_flock.ts`).
 *
 * Callers re-check the state (the record) after acquiring: another process
 * may have finished the same job while they waited.
 *
 * @module
 */

import { dirname } from "../_path.ts";
import { lockFileAt, unlockAndRemove } from "../_flock.ts";
import { LockBusyError } from "./errors.ts";
import { statePaths } from "./paths.ts";

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

async function readHolder(path: string): Promise<string | undefined> {
  try {
    const text = (await Deno.readTextFile(path)).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Acquires the exclusive lock at `path`, waiting up to `timeoutMs`; throws {@link LockBusyError} after. */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<WorkerLock> {
  const { signal, onWait } = options;
  const file = await lockFileAt(path, {
    what: `Waiting for the lock of ${options.id}`,
    deadline: Date.now() + (options.timeoutMs ?? 300_000),
    ...(signal ? { signal } : {}),
    ...(onWait ? { onWait: async () => onWait(await readHolder(path)) } : {}),
  });
  if (!file) throw new LockBusyError(options.id, path, await readHolder(path));
  return held(path, file);
}

async function held(path: string, file: Deno.FsFile): Promise<WorkerLock> {
  const info = `pid ${Deno.pid}@${Deno.hostname()} since ${new Date().toISOString()}\n`;
  try {
    await file.truncate(0);
    await file.write(new TextEncoder().encode(info));
  } catch {
    // The holder text is only for messages; a full disk must not leave the lock file behind.
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await unlockAndRemove(path, file).catch(() => {});
    try {
      await Deno.remove(dirname(path)); // only when empty; a racing acquirer retries
    } catch {
      // not empty, or gone
    }
  };
  return { path, release, [Symbol.asyncDispose]: release };
}

/**
 * Acquires the install-tree lock of the state directory `stateDir` for
 * worker `id`'s job (the caller holds that worker's lock). Waits up to
 * `timeoutMs` like {@link acquireLock}.
 */
export function acquireTreeLock(
  stateDir: string,
  id: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<WorkerLock> {
  return acquireLock(statePaths(stateDir).treeLock, {
    id,
    ...(signal ? { signal } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}
