/**
 * `verify` of an installed worker as one function over a layout, so the
 * CLI's `verify` runs it without loading the provisioner's install
 * pipeline (a fast start, like `list` through `installed.ts`); the
 * provisioner's `verify()` is this function.
 *
 * @module
 */

import { requireWorkerId } from "../boundary/worker_id.ts";
import { keyringDir } from "../signature/paths.ts";
import { buildBaseOf } from "./installed.ts";
import {
  idsToRecover,
  recoverLeftovers,
  removeBuildDirs,
  type StateContext,
} from "./_leftovers.ts";
import { type Layout, statePaths } from "./paths.ts";
import { readRecord } from "./record.ts";
import { verifyRecord, type VerifyReport, withSignatureRecheck } from "./verify.ts";

// The lock, the journal, the error mapping and the errors are imported on the
// paths that need them: a healthy worker's `verify` needs none, and
// evaluating their modules at start-up costs more than the check itself.

/** `_storage.ts`'s `rethrowStorage(dir)`, imported when a failure needs it. */
function rethrowStorageLazily(dir: string): (error: unknown) => Promise<never> {
  return async (error) => (await import("./_storage.ts")).rethrowStorage(dir)(error);
}

/** Options of {@link verifyInstalled}. */
export interface VerifyInstalledOptions {
  /** The directory of the build directories. @default `CACHE/build` */
  readonly buildBase?: string;
  /** How long to wait for the worker's lock, ms. @default the lock's own default */
  readonly lockTimeoutMs?: number;
  /** Cancels the wait for the lock and the comparison. */
  readonly signal?: AbortSignal;
}

/** Waits for worker `id`'s lock, recovers its interrupted transaction and removes its build directories. */
async function recoverUnderLock(
  state: StateContext,
  id: string,
  options: VerifyInstalledOptions,
): Promise<void> {
  const { layout } = state;
  const [{ acquireLock }, { recoverWorker }, { mapFsError }] = await Promise.all([
    import("./lock.ts"),
    import("./_journal.ts"),
    import("./_job.ts"),
  ]);
  const lock = await acquireLock(statePaths(layout.stateDir).lock(id), {
    id,
    timeoutMs: options.lockTimeoutMs,
    signal: options.signal,
  }).catch(mapFsError(layout.stateDir));
  try {
    await recoverWorker(layout, id);
    await removeBuildDirs(state, id);
  } finally {
    await lock.release();
  }
}

/**
 * Compares worker `id`'s installed files with its record: interrupted
 * transactions are recovered first (the worker's own under its lock), then
 * every recorded file is checked and the record's source signatures are
 * re-checked. Throws `NotInstalledError` when there is no record.
 */
export async function verifyInstalled(
  layout: Layout,
  id: string,
  options: VerifyInstalledOptions = {},
): Promise<VerifyReport> {
  requireWorkerId(id, "command line");
  const buildBase = options.buildBase ?? buildBaseOf(layout);
  const state = { layout, buildBase };
  await recoverLeftovers(state).catch(rethrowStorageLazily(layout.stateDir));
  // A worker with nothing but its record (no lock file: nobody holds its lock) has nothing to
  // recover nor to wait for; the lock is taken only when something is left.
  if (idsToRecover(state).includes(id)) await recoverUnderLock(state, id, options);
  const installRoot = layout.userPrefix ?? layout.root;
  const record = await readRecord(layout.stateDir, id, layout.root);
  if (!record) throw new (await import("./errors.ts")).NotInstalledError(id, installRoot);
  const report = await verifyRecord(record, options.signal).catch(
    rethrowStorageLazily(installRoot),
  );
  return await withSignatureRecheck(report, record, keyringDir(layout.stateDir), options.signal);
}
