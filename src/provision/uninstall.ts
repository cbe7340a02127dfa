/**
 * Uninstall: removes exactly the files a worker's record lists. A file that
 * no longer matches its record (edited by someone) is reported and kept,
 * unless forced; directories the worker's installs created are removed when
 * they end up empty. The record goes last, so an interrupted uninstall is
 * finished by running it again. The caller holds the worker's lock.
 *
 * @module
 */

import { lstatOrNull, removeIfEmptyDir } from "./_fs.ts";
import { removeRecord, type WorkerRecord } from "./record.ts";
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

/** Removes the files of `record` and then the record itself from `stateDir`. */
export async function uninstallRecord(
  stateDir: string,
  record: WorkerRecord,
  options: { force?: boolean } = {},
): Promise<UninstallResult> {
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
  for (const dir of [...record.createdDirs].reverse()) {
    if (await removeIfEmptyDir(dir)) removed.push(dir);
  }
  await removeRecord(stateDir, record.id);
  return { id: record.id, version: record.version, removed, kept };
}
