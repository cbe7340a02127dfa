/**
 * What killed processes leave, and its recovery: {@link recoverLeftovers}
 * is what every command runs first (see `doctor.ts` for the report and
 * repair of damage).
 *
 * @module
 */

import { basename, dirname, join } from "../_path.ts";
import { removeContained } from "../boundary/contained_path.ts";
import { RecordInvalidError } from "../boundary/errors.ts";
import { isWorkerId } from "../boundary/worker_id.ts";
import { LockBusyError } from "./errors.ts";
import { lstatOrNullSync, removeIfEmptyDir } from "./_fs.ts";
import { recoverWorker } from "./_journal.ts";
import { acquireLock, type WorkerLock } from "./lock.ts";
import { type Layout, statePaths } from "./paths.ts";

/** Where to look. */
export interface StateContext {
  /** The layout. */
  readonly layout: Layout;
  /** The directory of the build directories (`<id>~*`). */
  readonly buildBase: string;
}

/** The sorted names in `dir` (none when it does not exist). */
export function names(dir: string): Promise<string[]> {
  return Promise.resolve(namesSync(dir));
}

/**
 * {@link names} as one synchronous call: a state directory is read once per
 * command, and an async `readDir` costs a hand-off to Deno's blocking
 * thread pool (started for the first one), several times the call itself.
 */
export function namesSync(dir: string): string[] {
  const out: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) out.push(e.name);
  } catch {
    // no directory
  }
  return out.sort();
}

/**
 * The worker ids with something in the state or build directories: those
 * with a record directory (`recorded`) and those with anything else, a
 * journal, lock, staging or build directory (`leftovers`).
 */
function idsBySource(ctx: StateContext): { recorded: Set<string>; leftovers: Set<string> } {
  const paths = statePaths(ctx.layout.stateDir);
  const recorded = new Set<string>();
  const leftovers = new Set<string>();
  const add = (id: string | null) => id !== null && isWorkerId(id) && leftovers.add(id);
  for (const n of namesSync(paths.workersDir)) if (isWorkerId(n)) recorded.add(n);
  for (const n of namesSync(paths.journalDir)) {
    add(n.endsWith(".json") ? n.slice(0, -5) : null);
    add(n.endsWith(".tmp") ? n.slice(1).replace(/\.json\..*$/, "") : null);
  }
  for (const n of namesSync(paths.locksDir)) add(n.endsWith(".lock") ? n.slice(0, -5) : null);
  for (const n of namesSync(paths.stagingDir)) {
    add(n.includes("~") ? n.slice(0, n.indexOf("~")) : null);
  }
  for (const n of namesSync(ctx.buildBase)) {
    add(n.includes("~") ? n.slice(0, n.indexOf("~")) : null);
  }
  return { recorded, leftovers };
}

/** The worker ids that have anything in the state or build directories. */
export function idsWithState(ctx: StateContext): Promise<string[]> {
  const { recorded, leftovers } = idsBySource(ctx);
  return Promise.resolve([...new Set([...recorded, ...leftovers])].sort());
}

/**
 * The ids whose state may need recovery: all but those that have nothing
 * but their record (no journal, lock, staging, build directory, nor a
 * temporary file beside the record), which recovery would not change and
 * need not lock (so `list` takes no lock for a healthy installation).
 */
export function idsToRecover(ctx: StateContext): string[] {
  const { recorded, leftovers } = idsBySource(ctx);
  const ids = [...leftovers];
  const paths = statePaths(ctx.layout.stateDir);
  for (const id of recorded) {
    if (leftovers.has(id)) continue;
    const record = paths.record(id);
    const present = namesSync(dirname(record));
    if (present.length !== 1 || present[0] !== basename(record)) ids.push(id);
  }
  return ids.sort();
}

/** Takes worker `id`'s lock at once, or `null` when another process holds it. */
export async function tryLock(ctx: StateContext, id: string): Promise<WorkerLock | null> {
  try {
    return await acquireLock(statePaths(ctx.layout.stateDir).lock(id), { id, timeoutMs: 0 });
  } catch (error) {
    if (error instanceof LockBusyError) return null;
    throw error;
  }
}

/** Removes the build directories of `id` (its lock held). */
export async function removeBuildDirs(ctx: StateContext, id: string): Promise<string[]> {
  const removed: string[] = [];
  for (const n of await names(ctx.buildBase)) {
    if (!n.startsWith(`${id}~`)) continue;
    await removeContained(join(ctx.buildBase, n), { base: ctx.buildBase }, { recursive: true })
      .catch(() => {});
    removed.push(join(ctx.buildBase, n));
  }
  await removeIfEmptyDir(ctx.buildBase);
  return removed;
}

/** Releases a leftover install-tree lock file (a SIGKILL while it was held). */
export async function releaseTreeLock(ctx: StateContext): Promise<boolean> {
  const path = statePaths(ctx.layout.stateDir).treeLock;
  if (!lstatOrNullSync(path)) return false;
  try {
    const lock = await acquireLock(path, { id: "the install tree", timeoutMs: 0 });
    await lock.release();
    return true;
  } catch {
    return false;
  }
}

/**
 * Recovers every worker that is not busy: replays its journal, removes its
 * staging, temp files, build directories and lock file. A worker whose
 * record or journal is damaged is skipped (`doctor` reports it), and with
 * `bestEffort` so is one that cannot be written (a read-only `list`).
 * Resolves to the transactions it finished or undid.
 */
export async function recoverLeftovers(
  ctx: StateContext,
  bestEffort = false,
): Promise<{ id: string; outcome: "rolled-back" | "rolled-forward" }[]> {
  const recovered: { id: string; outcome: "rolled-back" | "rolled-forward" }[] = [];
  try {
    for (const id of idsToRecover(ctx)) {
      const lock = await tryLock(ctx, id);
      if (!lock) continue;
      try {
        const outcome = await recoverWorker(ctx.layout, id);
        if (outcome !== "none") recovered.push({ id, outcome });
        await removeBuildDirs(ctx, id);
      } catch (error) {
        if (!(error instanceof RecordInvalidError)) throw error;
      } finally {
        await lock.release();
      }
    }
    await releaseTreeLock(ctx);
  } catch (error) {
    if (!bestEffort) throw error;
  }
  return recovered;
}
