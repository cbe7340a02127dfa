/**
 * Installation as a transaction. The caller holds the worker's lock.
 *
 * 1. **stage**: copy the package trees into `staging/<id>~<txid>/new/` in
 *    the state directory (the root's filesystem), hashing every file.
 * 2. **check**: refuse paths owned by another worker, or present and owned
 *    by nobody, unless `force` (a directory is never replaced by a file).
 * 3. **journal**: write the journal (see `_journal.ts`).
 * 4. **apply**: create missing directories, move each replaced file to
 *    `staging/.../old/`, move each new file into place (renames), move
 *    files the new version no longer ships to `old/` as well.
 * 5. **record**: write the record atomically: the commit point.
 * 6. **clean**: drop backups and staging, remove the old version's
 *    directories the new one no longer ships when they are empty (as
 *    uninstall does, see `_dirs.ts`), remove the journal.
 *
 * A failure or cancellation before 5 rolls back to exactly the previous
 * state; a crash is rolled back (or forward, after 5) by the next run.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { CancelledError, throwIfCancelled } from "../errors.ts";
import { removeContained } from "../boundary/contained_path.ts";
import { lstatOrNull, lstatOrNullSync, moveAtomic, removeIfEmptyDir } from "./_fs.ts";
import { ensureFreeSpace, treeBytes } from "./_storage.ts";
import { deepestFirst, mayRemoveDir, recordedDirs } from "./_dirs.ts";
import { type Journal, rollBack, rollForward, writeJournal } from "./_journal.ts";
import { type EntrySource, type PackageTree, type StagedEntry, stageTrees } from "./_stage.ts";
import { InstallConflictError } from "./errors.ts";
import { checkPlacement, findConflicts, type OtherRecords, readOthers } from "./_install_checks.ts";
import { type Layout, statePaths } from "./paths.ts";
import { acquireTreeLock, type WorkerLock } from "./lock.ts";
import {
  readRecord,
  type RecordedFile,
  type RecordedPackageCache,
  type RecordedSignature,
  type RecordFreshness,
  type WorkerRecord,
  writeRecord,
} from "./record.ts";

export type { PackageTree, StagedEntry } from "./_stage.ts";

/** Points inside an install where a test hook can run (and block, to simulate a crash). */
export type InstallHookPoint = "staged" | "journaled" | "applying" | "applied" | "recorded";

/** What an install records about the worker, besides its files. */
export interface InstallMetadata {
  /** The worker id. */
  readonly id: string;
  /** Full version. */
  readonly version: string;
  /** Architecture built for. */
  readonly arch: string;
  /** Platform installed on. */
  readonly platform: string;
  /** Where the recipe came from. */
  readonly origin: string;
  /** Worker type from the catalog entry. */
  readonly workerType?: string;
  /** The catalog entry. */
  readonly entry?: Readonly<Record<string, unknown>>;
  /** What it was built from (commits, pkgver(), checksums). */
  readonly freshness?: RecordFreshness;
  /** Who signed each source (signatures, src/signature/). */
  readonly signatures?: readonly RecordedSignature[];
  /** The fingerprint of the key that signed the installed package, when it was signed. */
  readonly packageSigner?: string;
  /** The local package cache entry the trees were taken from (no build ran). */
  readonly packageCache?: RecordedPackageCache;
}

/** Options of {@link installTrees}. */
export interface InstallOptions {
  /** Where to install. */
  readonly layout: Layout;
  /** The recipe's package trees to install. */
  readonly trees: readonly PackageTree[];
  /** What to record. */
  readonly metadata: InstallMetadata;
  /** Overwrite files owned by another worker or by nobody. @default false */
  readonly force?: boolean;
  /** Cancels the install (rolled back). */
  readonly signal?: AbortSignal;
  /**
   * The trees are discarded afterwards: files on the state directory's
   * filesystem are moved into staging instead of copied. @default false
   */
  readonly consumeTrees?: boolean;
  /**
   * The trees are a local package cache entry's: its files are linked or
   * copied into staging as `_cache_sharing.ts` decides, with the digests of
   * its manifest. @default not from an entry
   */
  readonly fromEntry?: EntrySource;
  /** Test hook run at each {@link InstallHookPoint}; may block. */
  readonly hook?: (point: InstallHookPoint) => void | Promise<void>;
  /** Checks (or keeps) the staged entries (hashed) before anything is journaled; a throw rolls back. */
  readonly checkStaged?: (entries: readonly StagedEntry[]) => void;
}

/** Is `path` an executable: a regular file with an x bit in a `bin` or `sbin` directory. */
export function isExecutable(file: RecordedFile): boolean {
  return file.type === "file" && (file.mode & 0o111) !== 0 && /\/s?bin\/[^/]+$/.test(file.path);
}

/** The directories missing for `entries` (their own dirs and every parent), parents first. */
function missingDirs(entries: readonly StagedEntry[]): string[] {
  const missing = new Set<string>();
  const known = new Set<string>();
  for (const e of entries) {
    const chain: string[] = [];
    for (let p = e.type === "dir" ? e.dest : dirname(e.dest); !known.has(p); p = dirname(p)) {
      known.add(p);
      if (lstatOrNullSync(p)) break;
      chain.push(p);
      if (dirname(p) === p) break;
    }
    for (const p of chain) missing.add(p);
  }
  return [...missing].sort((a, b) =>
    a.split("/").length - b.split("/").length || a.localeCompare(b)
  );
}

/** Every directory `entries` need: their own and every parent up to `/`. */
function neededDirs(entries: readonly StagedEntry[]): Set<string> {
  const needed = new Set<string>();
  for (const e of entries) {
    for (let p = e.type === "dir" ? e.dest : dirname(e.dest); p !== dirname(p); p = dirname(p)) {
      if (needed.has(p)) break; // its parents were added with it
      needed.add(p);
    }
  }
  return needed;
}

/** Never removed by an upgrade, nor their ancestors. */
function keptDirs(layout: Layout): string[] {
  return [
    layout.root,
    layout.stateDir,
    layout.cacheDir,
    ...(layout.userPrefix ? [layout.userPrefix] : []),
  ];
}

function planJournal(
  layout: Layout,
  id: string,
  txid: string,
  stagingDir: string,
  entries: readonly StagedEntry[],
  previous: WorkerRecord | null,
  others: OtherRecords,
  seen: ReadonlyMap<string, Deno.FileInfo | null>,
): Journal {
  const puts = [];
  for (const e of entries) {
    if (e.staged === undefined) continue;
    puts.push({
      dest: e.dest,
      staged: e.staged,
      hadOriginal: (seen.has(e.dest) ? seen.get(e.dest) : lstatOrNullSync(e.dest)) !== null,
    });
  }
  const shipped = new Set(entries.map((e) => e.dest));
  const drops = (previous?.files ?? [])
    .filter((f) => f.type !== "dir" && !shipped.has(f.path))
    .map((f, i) => ({ dest: f.path, backup: `drop-${i}` }));
  const needed = neededDirs(entries);
  const rules = {
    made: new Set(previous?.createdDirs ?? []),
    listedByOthers: others.listedDirs,
    keep: keptDirs(layout),
  };
  const staleDirs = deepestFirst(previous ? recordedDirs(previous) : [])
    .filter((d) => !needed.has(d) && mayRemoveDir(d, rules))
    .reverse();
  return {
    schema: 1,
    txid,
    id,
    stagingDir,
    puts,
    drops,
    createdDirs: missingDirs(entries),
    staleDirs,
  };
}

async function apply(journal: Journal, entries: readonly StagedEntry[], options: InstallOptions) {
  const modes = new Map(entries.filter((e) => e.type === "dir").map((e) => [e.dest, e.mode]));
  for (const dir of journal.createdDirs) {
    await Deno.mkdir(dir);
    await Deno.chmod(dir, modes.get(dir) ?? 0o755);
  }
  const oldDir = join(journal.stagingDir, "old");
  const newDir = join(journal.stagingDir, "new");
  await Deno.mkdir(oldDir, { recursive: true });
  let i = 0;
  for (const put of journal.puts) {
    throwIfCancelled(options.signal, `Installing ${journal.id}`);
    if (put.hadOriginal) await moveAtomic(put.dest, join(oldDir, put.staged));
    await moveAtomic(join(newDir, put.staged), put.dest);
    if (++i === Math.ceil(journal.puts.length / 2)) await options.hook?.("applying");
  }
  for (const drop of journal.drops) {
    throwIfCancelled(options.signal, `Installing ${journal.id}`);
    if (await lstatOrNull(drop.dest)) await moveAtomic(drop.dest, join(oldDir, drop.backup));
  }
}

/**
 * The directories the provisioner made that this install uses: the ones it
 * creates, the previous version's still needed, and the ones another
 * worker's install made (inherited, so the last worker using one removes it).
 */
function madeDirs(
  entries: readonly StagedEntry[],
  journal: Journal,
  previous: WorkerRecord | null,
  others: OtherRecords,
): string[] {
  const needed = neededDirs(entries);
  return [
    ...new Set([
      ...(previous?.createdDirs ?? []).filter((d) => needed.has(d)),
      ...journal.createdDirs,
      ...[...needed].filter((d) => others.madeDirs.has(d)),
    ]),
  ].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}

function recordOf(
  options: InstallOptions,
  txid: string,
  entries: readonly StagedEntry[],
  createdDirs: readonly string[],
  packages: readonly string[],
): WorkerRecord {
  const files: RecordedFile[] = entries.map((e) => ({
    path: e.dest,
    type: e.type,
    mode: e.mode,
    size: e.size,
    ...(e.sha256 !== undefined ? { sha256: e.sha256 } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
  }));
  const m = options.metadata;
  return {
    schema: 1,
    id: m.id,
    version: m.version,
    arch: m.arch,
    platform: m.platform,
    packages,
    root: options.layout.userPrefix ?? options.layout.root,
    installedAt: new Date().toISOString(),
    txid,
    files,
    createdDirs,
    executables: files.filter(isExecutable).map((f) => f.path),
    origin: m.origin,
    ...(m.workerType !== undefined ? { workerType: m.workerType } : {}),
    ...(m.entry !== undefined ? { entry: m.entry } : {}),
    ...(m.freshness !== undefined ? { freshness: m.freshness } : {}),
    ...(m.signatures?.length ? { signatures: m.signatures } : {}), // signatures
    ...(m.packageSigner ? { packageSigner: m.packageSigner } : {}), // package signature
    ...(m.packageCache ? { packageCache: m.packageCache } : {}), // local package cache
  };
}

/** Installs `options.trees` as one transaction and returns the record written. */
export async function installTrees(options: InstallOptions): Promise<WorkerRecord> {
  const { layout, metadata: { id } } = options;
  const paths = statePaths(layout.stateDir);
  const txid = crypto.randomUUID();
  const stagingDir = paths.staging(`${id}~${txid}`);
  let journal: Journal | null = null;
  let tree: WorkerLock | undefined;
  try {
    let bytes = options.fromEntry?.bytes ?? 0; // at most: linked files take none
    if (!options.fromEntry) { for (const t of options.trees) bytes += await treeBytes(t.dir); }
    await ensureFreeSpace(layout.stateDir, bytes, `staging ${id}`);
    const entries = await stageTrees(
      layout,
      options.trees,
      stagingDir,
      options.signal,
      options.fromEntry ?? (options.consumeTrees ? "move" : "copy"),
    );
    options.checkStaged?.(entries);
    await options.hook?.("staged");
    tree = await acquireTreeLock(layout.stateDir, id, options.signal);
    const others = await readOthers(layout, id);
    await checkPlacement(layout, id, entries, others);
    const seen = new Map<string, Deno.FileInfo | null>();
    const conflicts = await findConflicts(id, entries, options.force ?? false, others.owners, seen);
    if (conflicts.length) throw new InstallConflictError(id, conflicts);
    const previous = await readRecord(layout.stateDir, id, layout.root);
    throwIfCancelled(options.signal, `Installing ${id}`);
    journal = planJournal(layout, id, txid, stagingDir, entries, previous, others, seen);
    await writeJournal(layout, journal);
    await options.hook?.("journaled");
    await apply(journal, entries, options);
    await options.hook?.("applied");
    throwIfCancelled(options.signal, `Installing ${id}`);
    const record = recordOf(
      options,
      txid,
      entries,
      madeDirs(entries, journal, previous, others),
      options.trees.map((t) => t.name),
    );
    await writeRecord(layout.stateDir, record, layout.root);
    await options.hook?.("recorded");
    await rollForward(layout, journal);
    return record;
  } catch (error) {
    const committed = journal !== null &&
      (await readRecord(layout.stateDir, id, layout.root).catch(() => null))?.txid === txid;
    if (journal && committed) {
      await rollForward(layout, journal);
      if (error instanceof CancelledError) {
        return (await readRecord(layout.stateDir, id, layout.root))!;
      }
      throw error;
    }
    if (journal) await rollBack(layout, journal);
    else {
      await removeContained(stagingDir, { base: paths.stagingDir }, { recursive: true })
        .catch(() => {});
    }
    await removeIfEmptyDir(paths.stagingDir);
    throw error;
  } finally {
    await tree?.release();
  }
}
