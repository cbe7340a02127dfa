/**
 * Leftovers and damage in the state directory: what killed processes left
 * (journals, staging trees, lock and temp files, build directories) and
 * what someone damaged (records or journals that fail their schema,
 * records whose files are gone, entries that are no worker id).
 *
 * {@link recoverLeftovers} is what every command runs first: it finishes
 * or undoes every interrupted transaction whose worker is not busy, and
 * removes that worker's leftovers; damage it cannot judge is left for
 * {@link diagnose}. {@link diagnose} (`doctor`) lists everything it finds
 * and, with `repair`, fixes it: damaged files are moved aside to
 * `damaged/` in the state directory (never deleted silently), records
 * whose files are all gone are removed.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { removeContained } from "../boundary/contained_path.ts";
import { RecordInvalidError } from "../boundary/errors.ts";
import { isWorkerId } from "../boundary/worker_id.ts";
import { lstatOrNull, removeIfEmptyDir, tempPrefixOf } from "./_fs.ts";
import { readJournal, recoverWorker } from "./_journal.ts";
import {
  idsWithState,
  names,
  releaseTreeLock,
  removeBuildDirs,
  type StateContext,
  tryLock,
} from "./_leftovers.ts";
import { statePaths } from "./paths.ts";
import { readRecord } from "./record.ts";
import { uninstallRecord } from "./uninstall.ts";

export { recoverLeftovers, type StateContext } from "./_leftovers.ts";

/** What kind of leftover or damage a {@link DoctorFinding} is. */
export type DoctorFindingKind =
  | "interrupted-transaction"
  | "damaged-journal"
  | "damaged-record"
  | "files-gone"
  | "files-missing"
  | "orphaned-staging"
  | "stale-lock"
  | "temp-file"
  | "build-dir"
  | "stray-entry"
  | "busy";

/** One thing {@link diagnose} found. */
export interface DoctorFinding {
  /** What it is. */
  readonly kind: DoctorFindingKind;
  /** The worker, when the finding belongs to one. */
  readonly id?: string;
  /** The file or directory. */
  readonly path: string;
  /** What is wrong, one line. */
  readonly problem: string;
  /** What repairing does (or did). */
  readonly fix: string;
  /** Whether it was repaired by this run. */
  readonly repaired: boolean;
}

/** The result of {@link diagnose}. */
export interface DoctorReport {
  /** Everything found, in the order found. */
  readonly findings: readonly DoctorFinding[];
  /** Whether nothing is left to repair (after repairs, when asked). */
  readonly ok: boolean;
}

/** Moves `path` aside into `damaged/` of the state directory; returns where it went. */
async function quarantine(ctx: StateContext, path: string): Promise<string> {
  const dir = join(ctx.layout.stateDir, "damaged");
  await Deno.mkdir(dir, { recursive: true });
  const to = join(dir, `${basename(path)}.${new Date().toISOString().replace(/[:.]/g, "-")}`);
  await Deno.rename(path, to);
  return to;
}

/** Whether the lock file at `path` is free (no process holds it), without removing it. */
async function isFree(path: string): Promise<boolean> {
  try {
    using file = await Deno.open(path, { read: true, write: true });
    const ok = await file.tryLock(true);
    if (ok) await file.unlock();
    return ok;
  } catch {
    return false;
  }
}

/** The leftovers of `id` that no journal names: staging trees, temp files, build directories. */
async function leftoversOf(ctx: StateContext, id: string, journalStaging?: string) {
  const paths = statePaths(ctx.layout.stateDir);
  const found: { kind: DoctorFindingKind; path: string }[] = [];
  for (const n of await names(paths.stagingDir)) {
    const path = join(paths.stagingDir, n);
    if (n.startsWith(`${id}~`) && path !== journalStaging) {
      found.push({ kind: "orphaned-staging", path });
    }
  }
  for (const file of [paths.journal(id), paths.record(id)]) {
    const prefix = tempPrefixOf(file);
    for (const n of await names(dirname(file))) {
      if (n.startsWith(prefix) && n.endsWith(".tmp")) {
        found.push({ kind: "temp-file", path: join(dirname(file), n) });
      }
    }
  }
  for (const n of await names(ctx.buildBase)) {
    if (n.startsWith(`${id}~`)) {
      found.push({ kind: "build-dir", path: join(ctx.buildBase, n) });
    }
  }
  return found;
}

/** Checks (and with `repair` fixes) worker `id`, its lock held. */
async function diagnoseWorker(
  ctx: StateContext,
  id: string,
  repair: boolean,
  out: DoctorFinding[],
) {
  const { layout } = ctx;
  const paths = statePaths(layout.stateDir);
  const add = (f: Omit<DoctorFinding, "id">) => out.push({ id, ...f });
  let journalStaging: string | undefined;
  try {
    const journal = await readJournal(layout, id);
    if (journal) {
      journalStaging = journal.stagingDir;
      add({
        kind: "interrupted-transaction",
        path: paths.journal(id),
        problem: `an ${journal.kind ?? "install"} of ${id} was interrupted`,
        fix: "finished or undone from its journal",
        repaired: repair,
      });
    }
  } catch (error) {
    if (!(error instanceof RecordInvalidError)) throw error;
    const to = repair ? await quarantine(ctx, paths.journal(id)) : undefined;
    add({
      kind: "damaged-journal",
      path: paths.journal(id),
      problem: error.message,
      fix: `moved aside${to ? ` to ${to}` : ""}`,
      repaired: repair,
    });
  }
  try {
    await readRecord(layout.stateDir, id, layout.root);
  } catch (error) {
    if (!(error instanceof RecordInvalidError)) throw error;
    const dir = dirname(paths.record(id));
    const to = repair ? await quarantine(ctx, dir) : undefined;
    add({
      kind: "damaged-record",
      path: paths.record(id),
      problem: error.message,
      fix: `moved aside${to ? ` to ${to}` : ""}; install ${id} again`,
      repaired: repair,
    });
  }
  for (const f of await leftoversOf(ctx, id, journalStaging)) {
    add({ ...f, problem: "left by a process that was killed", fix: "removed", repaired: repair });
  }
  if (repair) {
    await recoverWorker(layout, id);
    await removeBuildDirs(ctx, id);
  }
  await checkRecordedFiles(ctx, id, repair, add);
}

/** Reports a record whose files are all gone (removed on repair) or partly missing. */
async function checkRecordedFiles(
  ctx: StateContext,
  id: string,
  repair: boolean,
  add: (f: Omit<DoctorFinding, "id">) => void,
) {
  const { layout } = ctx;
  const record = await readRecord(layout.stateDir, id, layout.root).catch(() => null);
  if (!record) return;
  const files = record.files.filter((f) => f.type !== "dir");
  let missing = 0;
  for (const f of files) if (!(await lstatOrNull(f.path))) missing++;
  const path = statePaths(layout.stateDir).record(id);
  if (files.length > 0 && missing === files.length) {
    if (repair) {
      await uninstallRecord(layout.stateDir, record, {
        layout,
        root: layout.root,
        keepDirs: [layout.cacheDir, ...(layout.userPrefix ? [layout.userPrefix] : [])],
      });
    }
    add({
      kind: "files-gone",
      path,
      problem: `all ${files.length} files of ${id} are gone`,
      fix: "the record was removed",
      repaired: repair,
    });
  } else if (missing > 0) {
    add({
      kind: "files-missing",
      path,
      problem: `${missing} of ${files.length} files of ${id} are missing`,
      fix: `run \`worker-provisioner install ${id}\` to reinstall it`,
      repaired: false,
    });
  }
}

/**
 * The unlocked scratch directories of `fetch` and of the trusted metadata
 * reader (`.fetch~*`, `.metadata~*` in the build base) that a killed run
 * left; removed on repair (run `doctor --repair` when no `fetch` runs).
 */
async function scratchDirs(ctx: StateContext, repair: boolean): Promise<DoctorFinding[]> {
  const found: DoctorFinding[] = [];
  for (const n of await names(ctx.buildBase)) {
    if (!/^\.(fetch|metadata)~/.test(n)) continue;
    const path = join(ctx.buildBase, n);
    if (repair) {
      await removeContained(path, { base: ctx.buildBase }, { recursive: true }).catch(() => {});
    }
    found.push({
      kind: "build-dir",
      path,
      problem: "a scratch directory left by a process that was killed",
      fix: "removed",
      repaired: repair,
    });
  }
  if (repair) await removeIfEmptyDir(ctx.buildBase);
  return found;
}

/** Options of {@link diagnose}. */
export interface DiagnoseOptions {
  /** Repair what is found. @default false */
  readonly repair?: boolean;
}

/** Lists (and with `repair` fixes) the leftovers and damage of the state directory. */
export async function diagnose(
  ctx: StateContext,
  options: DiagnoseOptions = {},
): Promise<DoctorReport> {
  const repair = options.repair ?? false;
  const paths = statePaths(ctx.layout.stateDir);
  const findings: DoctorFinding[] = [];
  for (const n of await names(paths.workersDir)) {
    if (isWorkerId(n)) continue;
    const path = join(paths.workersDir, n);
    const to = repair ? await quarantine(ctx, path) : undefined;
    findings.push({
      kind: "stray-entry",
      path,
      problem: `${n} is not a worker id`,
      fix: `moved aside${to ? ` to ${to}` : ""}`,
      repaired: repair,
    });
  }
  if ((await lstatOrNull(paths.treeLock)) && (await isFree(paths.treeLock))) {
    const done = repair && (await releaseTreeLock(ctx));
    findings.push({
      kind: "stale-lock",
      path: paths.treeLock,
      problem: "left by a process that was killed",
      fix: "removed",
      repaired: done,
    });
  }
  findings.push(...await scratchDirs(ctx, repair));
  for (const id of await idsWithState(ctx)) {
    const lockPath = paths.lock(id);
    const stale = (await lstatOrNull(lockPath)) !== null && (await isFree(lockPath));
    const lock = await tryLock(ctx, id);
    if (!lock) {
      findings.push({
        id,
        kind: "busy",
        path: lockPath,
        problem: `another process is working on ${id}`,
        fix: "run doctor again when it is done",
        repaired: false,
      });
      continue;
    }
    try {
      if (stale) {
        findings.push({
          id,
          kind: "stale-lock",
          path: lockPath,
          problem: "left by a process that was killed",
          fix: "removed",
          repaired: true,
        });
      }
      await diagnoseWorker(ctx, id, repair, findings);
    } finally {
      await lock.release();
    }
  }
  return { findings, ok: findings.every((f) => f.repaired || f.kind === "busy") };
}
