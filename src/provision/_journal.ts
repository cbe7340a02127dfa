/**
 * The install journal: written (atomically, fsynced) before the first
 * destination path is touched, it lists every move a transaction will make,
 * so the transaction can be undone from any point, by the same process on a
 * failure or cancellation, or by the next run after a crash.
 *
 * The record is the commit point: a journal whose transaction id equals the
 * worker's record's is committed and is rolled forward (its backups and
 * staging removed); any other journal is rolled back.
 *
 * Every step of the rollback is idempotent (it reads the file system to see
 * how far the transaction got), so a crash during recovery is recovered too.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { lstatOrNull, moveAtomic, removeIfEmptyDir, writeJsonAtomic } from "./_fs.ts";
import { RecordInvalidError } from "./errors.ts";
import { acquireTreeLock } from "./lock.ts";
import { type Layout, statePaths } from "./paths.ts";
import { readRecord } from "./record.ts";

/** One file or symlink the transaction puts in place. */
export interface JournalPut {
  /** The destination. */
  readonly dest: string;
  /** The staged copy, `staging/new/<staged>`. */
  readonly staged: string;
  /** Whether something was at `dest` before (moved to `staging/old/<staged>`). */
  readonly hadOriginal: boolean;
}

/** One file the transaction removes (an upgrade no longer ships it). */
export interface JournalDrop {
  /** The destination removed. */
  readonly dest: string;
  /** Its backup, `staging/old/<backup>`. */
  readonly backup: string;
}

/** The journal of one install transaction. */
export interface Journal {
  /** Format version. */
  readonly schema: 1;
  /** The transaction id. */
  readonly txid: string;
  /** The worker. */
  readonly id: string;
  /** The staging directory of the transaction. */
  readonly stagingDir: string;
  /** Files and symlinks to put in place, in order. */
  readonly puts: readonly JournalPut[];
  /** Files to remove. */
  readonly drops: readonly JournalDrop[];
  /** Directories this transaction creates, parents first. */
  readonly createdDirs: readonly string[];
  /** Directories the previous version created that the new one does not need (removed if empty on commit). */
  readonly staleDirs: readonly string[];
}

/** Writes `journal` durably; from then on the transaction can be undone. */
export function writeJournal(layout: Layout, journal: Journal): Promise<void> {
  return writeJsonAtomic(statePaths(layout.stateDir).journal(journal.id), journal);
}

/** Reads the journal of worker `id`, or `null` when there is none. */
export async function readJournal(layout: Layout, id: string): Promise<Journal | null> {
  const path = statePaths(layout.stateDir).journal(id);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const j = JSON.parse(text) as Journal;
    if (j.schema !== 1 || j.id !== id) throw new Error("unknown journal format");
    return j;
  } catch (error) {
    throw new RecordInvalidError(path, (error as Error).message, { cause: error });
  }
}

async function removeJournal(layout: Layout, journal: Journal): Promise<void> {
  await Deno.remove(statePaths(layout.stateDir).journal(journal.id)).catch(() => {});
  await removeIfEmptyDir(statePaths(layout.stateDir).journalDir);
}

async function removeStaging(layout: Layout, journal: Journal): Promise<void> {
  await Deno.remove(journal.stagingDir, { recursive: true }).catch(() => {});
  await removeIfEmptyDir(statePaths(layout.stateDir).stagingDir);
}

/** Undoes `journal` from whatever point it reached and removes it. */
export async function rollBack(layout: Layout, journal: Journal): Promise<void> {
  const oldDir = join(journal.stagingDir, "old");
  for (const drop of [...journal.drops].reverse()) {
    const backup = join(oldDir, drop.backup);
    if (await lstatOrNull(backup)) {
      if (await lstatOrNull(drop.dest)) await Deno.remove(drop.dest);
      await moveAtomic(backup, drop.dest);
    }
  }
  for (const put of [...journal.puts].reverse()) {
    const backup = join(oldDir, put.staged);
    if (await lstatOrNull(backup)) {
      if (await lstatOrNull(put.dest)) await Deno.remove(put.dest);
      await Deno.mkdir(dirname(put.dest), { recursive: true });
      await moveAtomic(backup, put.dest);
    } else if (!put.hadOriginal && await lstatOrNull(put.dest)) {
      await Deno.remove(put.dest);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) await removeIfEmptyDir(dir);
  await removeStaging(layout, journal);
  await removeJournal(layout, journal);
}

/** Finishes a committed `journal`: drops backups and staging, removes stale empty dirs, removes it. */
export async function rollForward(layout: Layout, journal: Journal): Promise<void> {
  await removeStaging(layout, journal);
  for (const dir of [...journal.staleDirs].reverse()) await removeIfEmptyDir(dir);
  await removeJournal(layout, journal);
}

/** What {@link recoverWorker} did. */
export type RecoveryOutcome = "none" | "rolled-back" | "rolled-forward";

/**
 * Replays the journal of worker `id` left by an interrupted run (the caller
 * holds the worker's lock), and removes staging directories of the worker
 * that no journal names (a run killed while staging).
 */
export async function recoverWorker(layout: Layout, id: string): Promise<RecoveryOutcome> {
  const journal = await readJournal(layout, id);
  let outcome: RecoveryOutcome = "none";
  if (journal) {
    await using _tree = await acquireTreeLock(layout.stateDir, id);
    const record = await readRecord(layout.stateDir, id, layout.root);
    if (record?.txid === journal.txid) {
      await rollForward(layout, journal);
      outcome = "rolled-forward";
    } else {
      await rollBack(layout, journal);
      outcome = "rolled-back";
    }
  }
  const stagingDir = statePaths(layout.stateDir).stagingDir;
  if ((await lstatOrNull(stagingDir))?.isDirectory) {
    for await (const e of Deno.readDir(stagingDir)) {
      if (e.name.startsWith(`${id}~`)) {
        await Deno.remove(join(stagingDir, e.name), { recursive: true }).catch(() => {});
      }
    }
    await removeIfEmptyDir(stagingDir);
  }
  return outcome;
}
