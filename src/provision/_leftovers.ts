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
import { lstatOrNullSync, removeIfEmptyDir } from "./_fs.ts";
import type { WorkerLock } from "./lock.ts";
import { type Layout, statePaths } from "./paths.ts";

// The lock, the journal and their errors are imported where recovery needs
// them: a healthy installation (what `list` and `verify` see) needs none,
// and evaluating their modules at start-up cost about a tenth of Deno's
// empty start (BENCHMARKS.md, cold start).

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
 * Which entries of `parent` exist, from one read of it: the state directory
 * is read once and only the subdirectories it holds are read in turn (a
 * call on a missing path fails, and building its error costs more than
 * the read; the first one in a process ~0.7 ms of set-up). When `parent`
 * cannot be read for another reason, every entry counts as present (each
 * is then read, or found missing, by itself). `listed` tells whether
 * `parent` was read.
 */
function presentIn(parent: string): { has: (name: string) => boolean; listed: boolean } {
  const present = new Set<string>();
  try {
    for (const e of Deno.readDirSync(parent)) present.add(e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { has: () => false, listed: false };
    return { has: () => true, listed: false };
  }
  return { has: (name) => present.has(name), listed: true };
}

/**
 * Whether `path` exists, found without a call on it when it lies below
 * `known`, a directory that exists (the state directory, just read): the
 * directories from their deepest common ancestor down to `path` are listed
 * while they hold the next name. A call on a missing path throws, and that
 * first error of a command costs about 1 ms (V8 recompiles each function on
 * the stack for the error's source positions), several times these reads.
 * Undefined when that cannot decide (no common ancestor, one not readable).
 */
function presentBelow(known: string, path: string): boolean | undefined {
  const a = known.split("/");
  const b = path.split("/");
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  if (common < 2 && known !== "/") return undefined;
  let dir = b.slice(0, common).join("/") || "/";
  for (const name of b.slice(common)) {
    if (!name) continue;
    if (Deno.permissions.querySync({ name: "read", path: dir }).state !== "granted") {
      return undefined;
    }
    if (!presentIn(dir).has(name)) return false;
    dir = join(dir, name);
  }
  return true;
}

/** What the state and build directories hold, by worker id (see {@link idsBySource}). */
export interface StateScan {
  /** The ids with a record directory. */
  readonly recorded: Set<string>;
  /** The ids with anything else: a journal, lock, staging or build directory. */
  readonly leftovers: Set<string>;
  /** Whether the install-tree lock file is there. */
  readonly treeLock: boolean;
}

/**
 * The worker ids with something in the state or build directories: those
 * with a record directory (`recorded`) and those with anything else, a
 * journal, lock, staging or build directory (`leftovers`).
 */
function idsBySource(ctx: StateContext): StateScan {
  const paths = statePaths(ctx.layout.stateDir);
  const state = presentIn(ctx.layout.stateDir);
  const inState = state.has;
  // Each of these is `<stateDir>/<name>`.
  const read = (dir: string) => inState(basename(dir)) ? namesSync(dir) : [];
  const recorded = new Set<string>();
  const leftovers = new Set<string>();
  const add = (id: string | null) => id !== null && isWorkerId(id) && leftovers.add(id);
  for (const n of read(paths.workersDir)) if (isWorkerId(n)) recorded.add(n);
  for (const n of read(paths.journalDir)) {
    add(n.endsWith(".json") ? n.slice(0, -5) : null);
    add(n.endsWith(".tmp") ? n.slice(1).replace(/\.json\..*$/, "") : null);
  }
  const locks = read(paths.locksDir);
  for (const n of locks) add(n.endsWith(".lock") ? n.slice(0, -5) : null);
  for (const n of read(paths.stagingDir)) {
    add(n.includes("~") ? n.slice(0, n.indexOf("~")) : null);
  }
  const cacheKnown = state.listed ? presentBelow(ctx.layout.stateDir, ctx.buildBase) : undefined;
  const hasBuilds = cacheKnown ?? presentIn(dirname(ctx.buildBase)).has(basename(ctx.buildBase));
  const builds = hasBuilds ? namesSync(ctx.buildBase) : [];
  for (const n of builds) add(n.includes("~") ? n.slice(0, n.indexOf("~")) : null);
  return { recorded, leftovers, treeLock: locks.includes(basename(paths.treeLock)) };
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
export function idsToRecover(ctx: StateContext, scan: StateScan = idsBySource(ctx)): string[] {
  const { recorded, leftovers } = scan;
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
  const [{ acquireLock }, { LockBusyError }] = await Promise.all([
    import("./lock.ts"),
    import("./errors.ts"),
  ]);
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
  const { acquireLock } = await import("./lock.ts");
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
    const scan = idsBySource(ctx);
    for (const id of idsToRecover(ctx, scan)) {
      const lock = await tryLock(ctx, id);
      if (!lock) continue;
      try {
        const { recoverWorker } = await import("./_journal.ts");
        const outcome = await recoverWorker(ctx.layout, id);
        if (outcome !== "none") recovered.push({ id, outcome });
        await removeBuildDirs(ctx, id);
      } catch (error) {
        if (!(error instanceof RecordInvalidError)) throw error;
      } finally {
        await lock.release();
      }
    }
    if (scan.treeLock) await releaseTreeLock(ctx);
  } catch (error) {
    if (!bestEffort) throw error;
  }
  return recovered;
}
