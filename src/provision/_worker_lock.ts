/**
 * Work on one installed worker under its lock: the lock taken (and what a
 * killed run left recovered) before `fn` runs, and `remove()`'s uninstall.
 *
 * @module
 */

import { acquireLock, type WorkerLock } from "./lock.ts";
import { statePaths } from "./paths.ts";
import { mapFsError, type StepHook } from "./_job.ts";
import { recoverWorker, type RecoveryOutcome } from "./_journal.ts";
import { removeBuildDirs, type StateContext } from "./_leftovers.ts";
import { readRecord } from "./record.ts";
import { NotInstalledError } from "./errors.ts";
import { uninstallRecord, type UninstallResult } from "./uninstall.ts";
import { rethrowStorage } from "./_storage.ts";
import { unregisterFromHive } from "../hive/catalog.ts";
import type { WorkerProvisionerOptions } from "./options.ts";

/** What work under a worker's lock needs from the provisioner. */
export interface WorkerLockContext extends StateContext {
  /** The provisioner's options (lock timeout, force, hive catalog). */
  readonly options: WorkerProvisionerOptions;
  /** The test hook of the provisioner, when set. */
  readonly hook?: StepHook;
}

/** Recovery of worker `id`, its lock held: its journal rolled back or forward, its build directories removed. */
export async function recoverLocked(ctx: StateContext, id: string): Promise<RecoveryOutcome> {
  const outcome = await recoverWorker(ctx.layout, id);
  await removeBuildDirs(ctx, id);
  return outcome;
}

/** Runs `fn` holding the lock of worker `id`, after recovering what a killed run left. */
export async function withWorkerLock<T>(
  ctx: WorkerLockContext,
  id: string,
  signal: AbortSignal | undefined,
  fn: (lock: WorkerLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(statePaths(ctx.layout.stateDir).lock(id), {
    id,
    timeoutMs: ctx.options.lockTimeoutMs,
    signal,
  }).catch(mapFsError(ctx.layout.stateDir));
  try {
    await recoverLocked(ctx, id);
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** Uninstalls worker `id` under its lock: exactly its recorded files; modified ones are kept unless `force`. */
export function removeWorker(
  ctx: WorkerLockContext,
  id: string,
  options: { force?: boolean; signal?: AbortSignal },
): Promise<UninstallResult> {
  const { layout } = ctx;
  const installRoot = layout.userPrefix ?? layout.root;
  return withWorkerLock(ctx, id, options.signal, async () => {
    const record = await readRecord(layout.stateDir, id, layout.root);
    if (!record) throw new NotInstalledError(id, installRoot);
    const hook = ctx.hook;
    const result = await uninstallRecord(layout.stateDir, record, {
      force: options.force ?? ctx.options.force ?? false,
      root: layout.root,
      layout,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(hook ? { hook: (p) => hook(`uninstall:${p}`) } : {}),
      keepDirs: [layout.cacheDir, ...(layout.userPrefix ? [layout.userPrefix] : [])],
    }).catch(rethrowStorage(installRoot));
    if (ctx.options.hiveCatalog) await unregisterFromHive(ctx.options.hiveCatalog, id);
    return result;
  });
}
