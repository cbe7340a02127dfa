/**
 * Uninstall: removes exactly the files a worker's record lists. A file that
 * no longer matches its record (edited by someone) is reported and kept,
 * unless forced. Then, as pacman does, every directory the record lists is
 * removed when it is empty and no other worker's record lists it (see
 * `_dirs.ts`: directories that existed before any install belong to the
 * system and stay). The record goes last, so an interrupted uninstall is
 * finished by running it again. The caller holds the worker's lock.
 *
 * @module
 */

import { lstatOrNull } from "./_fs.ts";
import { othersDirs, recordedDirs, removeEmptyDirs } from "./_dirs.ts";
import { acquireTreeLock } from "./lock.ts";
import { rootOfStateDir } from "./paths.ts";
import { listRecords, removeRecord, type WorkerRecord } from "./record.ts";
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
}

/** Options of {@link uninstallRecord}. */
export interface UninstallOptions {
  /** Remove modified files too. @default false */
  readonly force?: boolean;
  /** The root the records' paths resolve against. @default the root of `stateDir`, else `/` */
  readonly root?: string;
  /** Directories never removed, nor their ancestors (e.g. the user prefix, the cache). @default [] */
  readonly keepDirs?: readonly string[];
}

/** Removes the files of `record`, its empty directories, and then the record itself from `stateDir`. */
export async function uninstallRecord(
  stateDir: string,
  record: WorkerRecord,
  options: UninstallOptions = {},
): Promise<UninstallResult> {
  const root = options.root ?? rootOfStateDir(stateDir);
  await using _tree = await acquireTreeLock(stateDir, record.id);
  const removed: string[] = [];
  const kept: VerifyProblem[] = [];
  for (const file of [...record.files].reverse()) {
    if (file.type === "dir") continue;
    const problem = await checkFile(file);
    if (problem?.kind === "missing") continue;
    if (problem && problem.kind !== "mode" && !options.force) {
      kept.push(problem);
      continue;
    }
    if (problem?.kind === "type" && (await lstatOrNull(file.path))?.isDirectory) {
      kept.push(problem); // never remove a directory someone put in a file's place
      continue;
    }
    await Deno.remove(file.path);
    removed.push(file.path);
  }
  const others = othersDirs(await listRecords(stateDir, root), record.id);
  removed.push(
    ...await removeEmptyDirs(recordedDirs(record), {
      made: new Set(record.createdDirs ?? []),
      listedByOthers: others.listed,
      keep: [root, record.root, stateDir, ...(options.keepDirs ?? [])],
    }),
  );
  await removeRecord(stateDir, record.id);
  return { id: record.id, version: record.version, removed, kept };
}
