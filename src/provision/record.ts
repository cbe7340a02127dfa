/**
 * The record of an installed worker: its manifest (every file with type,
 * mode, size, sha256), written atomically (temp file, fsync, rename, fsync
 * of the directory) as the last step of an install, so a worker is installed
 * exactly when its record exists. Like rbee's model provisioner keeps one
 * `metadata.json` per artifact, each worker has `workers/<id>/record.json`
 * in the state directory.
 *
 * On disk, every path of a record (files, created directories,
 * executables) is relative to the install root, as pacman's local database
 * is, so a root prepared with `--root /mnt/image` stays correct once the
 * image is booted; in memory ({@link WorkerRecord}) paths are absolute,
 * resolved against the root the record is read with.
 *
 * @module
 */

import { dirname, relative } from "../_path.ts";
import type { SourceSignature } from "../source/protocols/protocol.ts";
import { removeContained } from "../boundary/contained_path.ts";
import { RecordInvalidError } from "../boundary/errors.ts";
import { parseRecordText } from "../boundary/record_schema.ts";
import { isWorkerId } from "../boundary/worker_id.ts";
import { lstatOrNullSync, removeIfEmptyDir, writeJsonAtomic } from "./_fs.ts";
import { rootOfStateDir, statePaths } from "./paths.ts";

/** Version of the record format. */
export const RECORD_SCHEMA_VERSION = 1;

/** One installed path. */
export interface RecordedFile {
  /** Absolute path of the installed file. */
  readonly path: string;
  /** What it is. */
  readonly type: "file" | "dir" | "symlink";
  /** Permission bits, e.g. `0o755` (as a number). */
  readonly mode: number;
  /** Size in bytes (files; 0 otherwise). */
  readonly size: number;
  /** sha256 of the content (files only). */
  readonly sha256?: string;
  /** Link target (symlinks only). */
  readonly target?: string;
}

/** The record of one installed worker. */
export interface WorkerRecord {
  /** {@link RECORD_SCHEMA_VERSION}. */
  readonly schema: number;
  /** The worker id. */
  readonly id: string;
  /** Full version, `epoch:pkgver-pkgrel` (no `epoch:` when 0). */
  readonly version: string;
  /** The architecture it was built for. */
  readonly arch: string;
  /** The platform it was installed on. */
  readonly platform: string;
  /** The packages of the recipe that were installed (one unless split). */
  readonly packages: readonly string[];
  /** Where it was installed: the root, or the user prefix (informational; paths resolve against the root read with). */
  readonly root: string;
  /** When it was installed (ISO 8601). */
  readonly installedAt: string;
  /** The transaction that installed it. */
  readonly txid: string;
  /** Every installed path: the package tree's directories (parents first), files and symlinks. */
  readonly files: readonly RecordedFile[];
  /**
   * Directories the provisioner made, for this worker or (inherited) for
   * another one; the others existed before and belong to the system. On
   * uninstall, one of these goes when it is empty and listed by no other
   * record. Absent in hand-written records: read as `[]`.
   */
  readonly createdDirs: readonly string[];
  /** Absolute paths of the executables. */
  readonly executables: readonly string[];
  /** Where it came from: a catalog URL/dir, or a PKGBUILD path. */
  readonly origin: string;
  /** The worker type from the catalog entry (`cpu`, `cuda`, ...), when known. */
  readonly workerType?: string;
  /** The catalog entry, as the catalog sent it, when there was one. */
  readonly entry?: Readonly<Record<string, unknown>>;
  // --- freshness (issue 14: outdated, upgrade) ---
  /** What the worker was built from, to tell when it is outdated; absent in older records. */
  readonly freshness?: RecordFreshness;
  // --- end freshness ---
  // --- signatures (src/signature/): who signed each source; absent when none was signed ---
  /** The source signatures that passed at install, one per signature source; `verify` re-checks them. */
  readonly signatures?: readonly RecordedSignature[];
  /** The fingerprint of the key whose signature on the installed package was accepted; absent when unsigned. */
  readonly packageSigner?: string;
  // --- end signatures ---
  /** The local package cache entry it was installed from (no build ran); absent after a build. */
  readonly packageCache?: RecordedPackageCache;
}

/** Where in the local package cache an installed worker came from. */
export interface RecordedPackageCache {
  /** The entry's key (`CACHEDIR/packages/<id>/<key>`). */
  readonly key: string;
  /** When the cached build ran (ISO 8601). */
  readonly builtAt: string;
}

// --- freshness (issue 14: outdated, upgrade) ---
/** One VCS source of an installed worker: what it follows and the commit it was built from. */
export interface VcsSourceState {
  /** The source's name in srcdir. */
  readonly name: string;
  /** The repository URL, without `git+` and the fragment. */
  readonly url: string;
  /** The ref the recipe follows (`branch`, `tag`, `commit`); absent for the default branch. */
  readonly ref?: { readonly kind: string; readonly value: string };
  /** The commit checked out for the build. */
  readonly commit: string;
}

/** What an installed worker was built from. */
export interface RecordFreshness {
  /** The version the recipe declares, `epoch:pkgver-pkgrel` before pkgver() ran. */
  readonly declaredVersion: string;
  /** What pkgver() printed, when the recipe has one. */
  readonly pkgver?: string;
  /** The catalog entry's `version` at install time, when there was an entry. */
  readonly catalogVersion?: string;
  /** The VCS sources and their commits. */
  readonly vcs: readonly VcsSourceState[];
  /** Every source with the checksums the recipe pins (`SKIP` ones omitted). */
  readonly sources: readonly {
    readonly name: string;
    readonly url: string;
    readonly checksums: Readonly<Record<string, string>>;
  }[];
}
// --- end freshness ---

// --- signatures (src/signature/) ---
/** One source signature that passed at install: who signed what, and where to re-check it. */
export type RecordedSignature = SourceSignature;
// --- end signatures ---
/** Maps every path of `record` with `map`. */
function mapPaths(record: WorkerRecord, map: (path: string) => string): WorkerRecord {
  return {
    ...record,
    files: record.files.map((f) => ({ ...f, path: map(f.path) })),
    createdDirs: (record.createdDirs ?? []).map(map),
    executables: record.executables.map(map),
  };
}

/**
 * Reads the record of worker `id` in `stateDir`, or `null` when it has none;
 * paths are resolved against `root` (by default the root whose
 * `var/lib/worker-provisioner` is `stateDir`, else `/`). The record is
 * validated against its schema (`src/boundary/record_schema.ts`); a damaged
 * one throws {@link RecordInvalidError} naming the file and the fix.
 */
export function readRecord(
  stateDir: string,
  id: string,
  root: string = rootOfStateDir(stateDir),
): Promise<WorkerRecord | null> {
  try {
    return Promise.resolve(readRecordSync(stateDir, id, root));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link readRecord} as one synchronous read: a record is a small file read
 * once, and an async read costs a hand-off to Deno's blocking thread pool
 * (started for the first one), several times the read itself.
 */
export function readRecordSync(
  stateDir: string,
  id: string,
  root: string = rootOfStateDir(stateDir),
): WorkerRecord | null {
  const path = statePaths(stateDir).record(id);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new RecordInvalidError(path, `it cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseRecordText(text, { file: path, id, root }) as unknown as WorkerRecord;
}

/** Writes `record` atomically (the commit point of an install), its paths relative to `root`. */
export function writeRecord(
  stateDir: string,
  record: WorkerRecord,
  root: string = rootOfStateDir(stateDir),
): Promise<void> {
  const prefix = root.endsWith("/") ? root : `${root}/`;
  // A plain prefix cut where it applies: `relative()` asks for the working directory each call.
  const stored = mapPaths(
    record,
    (p) => p.startsWith(prefix) ? p.slice(prefix.length) : relative(root, p),
  );
  return writeJsonAtomic(statePaths(stateDir).record(record.id), stored);
}

/** Removes the record of worker `id` (and the records directory once it is empty). */
export async function removeRecord(stateDir: string, id: string): Promise<void> {
  const paths = statePaths(stateDir);
  await removeContained(dirname(paths.record(id)), { base: paths.workersDir }, { recursive: true });
  await removeIfEmptyDir(paths.workersDir);
}

/** The ids with a directory under `workers/` (valid ids only; anything else is for `doctor`). */
export function recordIds(stateDir: string): Promise<string[]> {
  return Promise.resolve(recordIdsSync(stateDir));
}

/** {@link recordIds} as synchronous calls (one directory read). */
function recordIdsSync(stateDir: string): string[] {
  const dir = statePaths(stateDir).workersDir;
  if (!lstatOrNullSync(dir)?.isDirectory) return [];
  const ids: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory && isWorkerId(e.name)) ids.push(e.name);
  }
  return ids.sort();
}

/** Every record in `stateDir`: the valid ones sorted by id, and the damaged ones' errors. */
export function scanRecords(
  stateDir: string,
  root: string = rootOfStateDir(stateDir),
): Promise<{ records: WorkerRecord[]; damaged: RecordInvalidError[] }> {
  try {
    return Promise.resolve(scanRecordsSync(stateDir, root));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** {@link scanRecords} as synchronous calls (one directory read, one read per record). */
function scanRecordsSync(
  stateDir: string,
  root: string,
): { records: WorkerRecord[]; damaged: RecordInvalidError[] } {
  const records: WorkerRecord[] = [];
  const damaged: RecordInvalidError[] = [];
  for (const id of recordIdsSync(stateDir)) {
    try {
      const r = readRecordSync(stateDir, id, root);
      if (r) records.push(r);
    } catch (error) {
      if (!(error instanceof RecordInvalidError)) throw error;
      damaged.push(error);
    }
  }
  return { records, damaged };
}

/**
 * Reads every valid record in `stateDir`, sorted by id, paths resolved
 * against `root`; damaged records are skipped (see {@link scanRecords}).
 */
export async function listRecords(
  stateDir: string,
  root: string = rootOfStateDir(stateDir),
): Promise<WorkerRecord[]> {
  return (await scanRecords(stateDir, root)).records;
}

/** Finds which recorded worker owns each path: absolute path → worker id. */
export async function ownership(
  stateDir: string,
  root: string = rootOfStateDir(stateDir),
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const r of await listRecords(stateDir, root)) {
    for (const f of r.files) if (f.type !== "dir") owners.set(f.path, r.id);
  }
  return owners;
}
