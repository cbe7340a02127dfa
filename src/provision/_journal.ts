/**
 * The journal of a transaction: written (atomically, fsynced) before the
 * first destination path is touched, it lists every move the transaction
 * will make, so it can be undone from any point, by the same process on a
 * failure or cancellation, or by the next run after a crash.
 *
 * Two kinds of transaction write one:
 * - **install**: the record (with the journal's transaction id) is the
 *   commit point; before it the journal is rolled back, after it forward.
 * - **uninstall**: the record's removal is the commit point; the files are
 *   moved to the staging directory first, so until then everything can be
 *   put back.
 *
 * Every step of the rollback is idempotent (it reads the file system to see
 * how far the transaction got), so a crash during recovery is recovered
 * too. The journal is validated when read (a forged or damaged one is
 * refused: its paths must lie in the root and the staging directory), and
 * every deletion goes through `removeContained`.
 *
 * @module
 */

import { dirname, join } from "../_path.ts";
import { isInside, removeContained, type Scope } from "../boundary/contained_path.ts";
import { RecordInvalidError } from "../boundary/errors.ts";
import {
  arrayOf,
  type FieldCheck,
  type FieldSpec,
  fieldsProblem,
  isId,
  isObject,
  objectOf,
} from "../boundary/record_schema.ts";
import {
  lstatOrNull,
  moveAtomic,
  removeIfEmptyDir,
  removeTempFilesOf,
  writeJsonAtomic,
} from "./_fs.ts";
import { acquireTreeLock } from "./lock.ts";
import { installBase, type Layout, reservedDirs, statePaths } from "./paths.ts";
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

/** One file the transaction removes (an upgrade no longer ships it, or an uninstall). */
export interface JournalDrop {
  /** The destination removed. */
  readonly dest: string;
  /** Its backup, `staging/old/<backup>`. */
  readonly backup: string;
}

/** The journal of one transaction. */
export interface Journal {
  /** Format version. */
  readonly schema: 1;
  /** What the transaction does. @default "install" */
  readonly kind?: "install" | "uninstall";
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

const isAbsPath: FieldCheck = (v) =>
  typeof v === "string" && v.startsWith("/") ? null : "not an absolute path";
const isName: FieldCheck = (v) =>
  typeof v === "string" && /^[A-Za-z0-9._-]+$/.test(v) && v !== "." && v !== ".."
    ? null
    : "not a file name";

/** The fields of a journal. */
const JOURNAL_FIELDS: Readonly<Record<string, FieldSpec>> = {
  schema: { required: true, check: (v) => v === 1 ? null : "not 1" },
  kind: {
    required: false,
    check: (v) => v === "install" || v === "uninstall" ? null : "not install or uninstall",
  },
  txid: { required: true, check: isName },
  id: { required: true, check: isId },
  stagingDir: { required: true, check: isAbsPath },
  puts: {
    required: true,
    check: arrayOf(objectOf({
      dest: { required: true, check: isAbsPath },
      staged: { required: true, check: isName },
      hadOriginal: {
        required: true,
        check: (v) => typeof v === "boolean" ? null : "not a boolean",
      },
    })),
  },
  drops: {
    required: true,
    check: arrayOf(objectOf({
      dest: { required: true, check: isAbsPath },
      backup: { required: true, check: isName },
    })),
  },
  createdDirs: { required: true, check: arrayOf(isAbsPath) },
  staleDirs: { required: true, check: arrayOf(isAbsPath) },
};

/** Where the files of `layout` may be changed: the install base, outside the provisioner's own dirs. */
export function installScope(layout: Layout, source = "a journal"): Scope {
  return { base: installBase(layout), excluded: reservedDirs(layout), source };
}

function stagingScope(layout: Layout): Scope {
  return { base: statePaths(layout.stateDir).stagingDir, source: "a journal" };
}

/** Why `j` is not a journal of worker `id` in `layout`, or `null`. */
function journalProblem(layout: Layout, id: string, j: unknown): string | null {
  const problem = isObject(j) ?? fieldsProblem(j as Record<string, unknown>, JOURNAL_FIELDS);
  if (problem) return problem;
  const journal = j as Journal;
  if (journal.id !== id) return `it is the journal of ${journal.id}, not of ${id}`;
  const staging = statePaths(layout.stateDir).stagingDir;
  if (
    dirname(journal.stagingDir) !== staging || !journal.stagingDir.startsWith(`${staging}/${id}~`)
  ) {
    return `its staging directory ${journal.stagingDir} is not one of ${id}'s`;
  }
  const base = installScope(layout).base;
  const paths = [
    ...journal.puts.map((p) => p.dest),
    ...journal.drops.map((d) => d.dest),
    ...journal.createdDirs,
    ...journal.staleDirs,
  ];
  const outside = paths.find((p) => !isInside(p, base) || p === base);
  return outside ? `path ${outside} is outside ${base}` : null;
}

/** Writes `journal` durably; from then on the transaction can be undone. */
export function writeJournal(layout: Layout, journal: Journal): Promise<void> {
  return writeJsonAtomic(statePaths(layout.stateDir).journal(journal.id), journal);
}

/** Reads (and validates) the journal of worker `id`, or `null` when there is none. */
export async function readJournal(layout: Layout, id: string): Promise<Journal | null> {
  const path = statePaths(layout.stateDir).journal(id);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new RecordInvalidError(path, `it cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordInvalidError(path, `not JSON (${(error as Error).message})`, { cause: error });
  }
  const problem = journalProblem(layout, id, value);
  if (problem) throw new RecordInvalidError(path, problem);
  return value as Journal;
}

async function removeJournal(layout: Layout, journal: Journal): Promise<void> {
  await Deno.remove(statePaths(layout.stateDir).journal(journal.id)).catch(() => {});
  await removeIfEmptyDir(statePaths(layout.stateDir).journalDir);
}

async function removeStaging(layout: Layout, stagingDir: string): Promise<void> {
  await removeContained(stagingDir, stagingScope(layout), { recursive: true }).catch(() => {});
  await removeIfEmptyDir(statePaths(layout.stateDir).stagingDir);
}

/** Undoes `journal` from whatever point it reached and removes it. */
export async function rollBack(layout: Layout, journal: Journal): Promise<void> {
  const scope = installScope(layout);
  const oldDir = join(journal.stagingDir, "old");
  for (const drop of [...journal.drops].reverse()) {
    const backup = join(oldDir, drop.backup);
    if (await lstatOrNull(backup)) {
      await removeContained(drop.dest, scope);
      await moveAtomic(backup, drop.dest);
    }
  }
  for (const put of [...journal.puts].reverse()) {
    const backup = join(oldDir, put.staged);
    if (await lstatOrNull(backup)) {
      await removeContained(put.dest, scope);
      await Deno.mkdir(dirname(put.dest), { recursive: true });
      await moveAtomic(backup, put.dest);
    } else if (!put.hadOriginal) {
      await removeContained(put.dest, scope);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) await removeIfEmptyDir(dir, scope);
  await removeStaging(layout, journal.stagingDir);
  await removeJournal(layout, journal);
}

/** Finishes a committed `journal`: drops backups and staging, removes stale empty dirs, removes it. */
export async function rollForward(layout: Layout, journal: Journal): Promise<void> {
  await removeStaging(layout, journal.stagingDir);
  const scope = installScope(layout);
  for (const dir of [...journal.staleDirs].reverse()) await removeIfEmptyDir(dir, scope);
  await removeJournal(layout, journal);
}

/** What {@link recoverWorker} did. */
export type RecoveryOutcome = "none" | "rolled-back" | "rolled-forward";

/** Whether `journal`'s transaction reached its commit point. */
async function isCommitted(layout: Layout, journal: Journal): Promise<boolean> {
  const record = await readRecord(layout.stateDir, journal.id, layout.root);
  return journal.kind === "uninstall" ? record === null : record?.txid === journal.txid;
}

/**
 * Replays the journal of worker `id` left by an interrupted run (the caller
 * holds the worker's lock), and removes what no journal names: staging
 * directories of the worker (a run killed while staging), temp files of
 * its record and journal (killed while writing them), and an empty record
 * directory. A damaged record or journal is left in place and throws
 * {@link RecordInvalidError} (`doctor --repair` moves it aside).
 */
export async function recoverWorker(layout: Layout, id: string): Promise<RecoveryOutcome> {
  const paths = statePaths(layout.stateDir);
  const journal = await readJournal(layout, id);
  let outcome: RecoveryOutcome = "none";
  if (journal) {
    await using _tree = await acquireTreeLock(layout.stateDir, id);
    if (await isCommitted(layout, journal)) {
      await rollForward(layout, journal);
      outcome = "rolled-forward";
    } else {
      await rollBack(layout, journal);
      outcome = "rolled-back";
    }
  }
  if ((await lstatOrNull(paths.stagingDir))?.isDirectory) {
    for await (const e of Deno.readDir(paths.stagingDir)) {
      if (e.name.startsWith(`${id}~`)) await removeStaging(layout, join(paths.stagingDir, e.name));
    }
    await removeIfEmptyDir(paths.stagingDir);
  }
  await removeTempFilesOf(paths.journal(id));
  await removeIfEmptyDir(paths.journalDir);
  await removeTempFilesOf(paths.record(id));
  if (await removeIfEmptyDir(dirname(paths.record(id)))) await removeIfEmptyDir(paths.workersDir);
  return outcome;
}
