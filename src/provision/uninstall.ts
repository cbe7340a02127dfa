/**
 * Uninstall: removes exactly the files a worker's record lists, as a
 * transaction. A file that no longer matches its record (edited by
 * someone) is reported and kept, unless forced.
 *
 * 1. **journal**: an `uninstall` journal lists every file to remove.
 * 2. **move**: each file is moved into the transaction's staging directory
 *    (a rename, through `proveContained`: never outside the root).
 * 3. **commit**: the record is removed.
 * 4. **clean**: as pacman does, every directory the record lists is removed
 *    when it is empty and no other worker's record lists it (see
 *    `_dirs.ts`; the journal lists them, so a crash's recovery does it
 *    too); the staging directory and the journal go.
 *
 * A cancellation or failure before 3 puts every file back and throws (the
 * worker stays installed); after 3 the uninstall finishes and reports
 * success. A crash is rolled back or forward by the next run. The caller
 * holds the worker's lock.
 *
 * @module
 */

import { join } from "node:path";
import { proveContained } from "../boundary/contained_path.ts";
import { throwIfCancelled } from "../errors.ts";
import { lstatOrNull, moveAtomic } from "./_fs.ts";
import { deepestFirst, mayRemoveDir, othersDirs, recordedDirs } from "./_dirs.ts";
import { installScope, type Journal, rollBack, rollForward, writeJournal } from "./_journal.ts";
import { acquireTreeLock } from "./lock.ts";
import { type Layout, rootOfStateDir, statePaths } from "./paths.ts";
import {
  listRecords,
  readRecord,
  type RecordedFile,
  removeRecord,
  type WorkerRecord,
} from "./record.ts";
import { checkFile, type VerifyProblem } from "./verify.ts";

/** The result of an uninstall. */
export interface UninstallResult {
  /** The worker. */
  readonly id: string;
  /** The version removed. */
  readonly version: string;
  /** Paths removed (files, symlinks, then directories). */
  readonly removed: readonly string[];
  /** Files kept because they were modified since install (not forced). */
  readonly kept: readonly VerifyProblem[];
  /**
   * Where each kept file now is: moved aside to `<path>.pacsave` (as pacman
   * saves a modified file it removes), so it stands in no later install's
   * way; a directory found in a file's place stays where it is.
   */
  readonly saved: readonly { readonly path: string; readonly savedAs: string }[];
}

/** Points inside an uninstall where a test hook can run (and block, to simulate a crash). */
export type UninstallHookPoint = "journaled" | "moved" | "committed";

/** Options of {@link uninstallRecord}. */
export interface UninstallOptions {
  /** Remove modified files too. @default false */
  readonly force?: boolean;
  /** The root the records' paths resolve against. @default the root of `stateDir`, else `/` */
  readonly root?: string;
  /** The whole layout (for the journal and the containment of every removal). @default derived from `root` */
  readonly layout?: Layout;
  /** Directories never removed, nor their ancestors (e.g. the user prefix, the cache). @default [] */
  readonly keepDirs?: readonly string[];
  /** Cancels the uninstall before its commit (every file is put back). */
  readonly signal?: AbortSignal;
  /** Test hook run at each {@link UninstallHookPoint}; may block. */
  readonly hook?: (point: UninstallHookPoint) => void | Promise<void>;
}

/** Splits the record's files into those to remove and those kept (modified, not forced). */
async function decide(
  record: WorkerRecord,
  force: boolean,
): Promise<{ drops: RecordedFile[]; kept: VerifyProblem[] }> {
  const drops: RecordedFile[] = [];
  const kept: VerifyProblem[] = [];
  for (const file of [...record.files].reverse()) {
    if (file.type === "dir") continue;
    const problem = await checkFile(file);
    if (problem?.kind === "missing") continue;
    if (problem && problem.kind !== "mode" && !force) {
      kept.push(problem);
      continue;
    }
    if (problem?.kind === "type" && (await lstatOrNull(file.path))?.isDirectory) {
      kept.push(problem); // never remove a directory someone put in a file's place
      continue;
    }
    drops.push(file);
  }
  return { drops, kept };
}

/** Moves the journal's files aside and removes the record (the commit), or puts everything back. */
async function moveAndCommit(layout: Layout, journal: Journal, options: UninstallOptions) {
  const scope = installScope(layout, `the record of ${journal.id}`);
  const oldDir = join(journal.stagingDir, "old");
  try {
    await Deno.mkdir(oldDir, { recursive: true });
    for (const drop of journal.drops) {
      throwIfCancelled(options.signal, `Uninstalling ${journal.id}`);
      await moveAtomic(await proveContained(drop.dest, scope), join(oldDir, drop.backup));
    }
    await options.hook?.("moved");
    throwIfCancelled(options.signal, `Uninstalling ${journal.id}`);
    await removeRecord(layout.stateDir, journal.id);
  } catch (error) {
    if ((await readRecord(layout.stateDir, journal.id, layout.root).catch(() => null)) !== null) {
      await rollBack(layout, journal);
    }
    throw error;
  }
}

/** Removes the files of `record`, its empty directories, and then the record itself from `stateDir`. */
export async function uninstallRecord(
  stateDir: string,
  record: WorkerRecord,
  options: UninstallOptions = {},
): Promise<UninstallResult> {
  const root = options.root ?? rootOfStateDir(stateDir);
  const layout = options.layout ??
    { root, stateDir, cacheDir: join(root, "var/cache/worker-provisioner") };
  await using _tree = await acquireTreeLock(stateDir, record.id, options.signal);
  const { drops, kept } = await decide(record, options.force ?? false);
  const others = othersDirs(await listRecords(stateDir, root), record.id);
  const rules = {
    made: new Set(record.createdDirs ?? []),
    listedByOthers: others.listed,
    keep: [root, record.root, stateDir, ...(options.keepDirs ?? [])],
  };
  const staleDirs = deepestFirst(recordedDirs(record)).filter((d) => mayRemoveDir(d, rules));
  const journal: Journal = {
    schema: 1,
    kind: "uninstall",
    txid: crypto.randomUUID(), // the commit is the record's removal, not a txid
    id: record.id,
    stagingDir: statePaths(stateDir).staging(`${record.id}~${crypto.randomUUID()}`),
    puts: [],
    drops: drops.map((f, i) => ({ dest: f.path, backup: `drop-${i}` })),
    createdDirs: [],
    staleDirs: [...staleDirs].reverse(), // parents first, as an install's
  };
  throwIfCancelled(options.signal, `Uninstalling ${record.id}`);
  await writeJournal(layout, journal);
  await options.hook?.("journaled");
  await moveAndCommit(layout, journal, options);
  await options.hook?.("committed");
  await rollForward(layout, journal); // removes the empty stale directories, deepest first
  const removedDirs = [];
  for (const dir of staleDirs) if (!(await lstatOrNull(dir))) removedDirs.push(dir);
  return {
    id: record.id,
    version: record.version,
    removed: [...drops.map((f) => f.path), ...removedDirs],
    kept,
    saved: await saveKept(kept, installScope(layout, `the files of ${record.id}`)),
  };
}

/**
 * Moves each kept file (not a directory) aside to `<path>.pacsave` (then
 * `.pacsave.1`, ...) in its own directory. After the commit: a failure here
 * leaves the file where it was and is not an error.
 */
async function saveKept(
  kept: readonly VerifyProblem[],
  scope: ReturnType<typeof installScope>,
): Promise<{ path: string; savedAs: string }[]> {
  const saved: { path: string; savedAs: string }[] = [];
  for (const { path } of kept) {
    const info = await lstatOrNull(path);
    if (!info || info.isDirectory) continue;
    try {
      const from = await proveContained(path, scope);
      let to = `${from}.pacsave`;
      for (let n = 1; await lstatOrNull(to); n++) to = `${from}.pacsave.${n}`;
      await Deno.rename(from, to);
      saved.push({ path, savedAs: to });
    } catch {
      // kept in place; the result still names it
    }
  }
  return saved;
}
