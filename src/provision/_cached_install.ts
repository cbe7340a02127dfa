/**
 * The local package cache in the install pipeline (`package_cache.ts`):
 * keeping a cold install's build once it committed ({@link storeEntry}: the
 * installed files hard-linked into a new entry, no data copied), and
 * installing from a kept entry ({@link installFromPackageCache}) through
 * the same transaction, with no fetch, extraction or recipe function. What
 * is shared with a root and what is trusted: `_cache_sharing.ts`.
 *
 * The cache is best effort on the way in: an entry that cannot be made is
 * not kept, and the install stands. On the way out it is checked: a
 * damaged entry is reported (`provision.cached`, `damaged`), removed, and
 * the worker built as if it were absent.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { mapFsError, type ProvisionJob } from "./_job.ts";
import { syncDir } from "./_fs.ts";
import { keepInstalledFile } from "./_cache_sharing.ts";
import type { EntrySource } from "./_stage.ts";
import {
  type InstallHookPoint,
  type InstallMetadata,
  installTrees,
  type PackageTree,
  type StagedEntry,
} from "./install.ts";
import type { Layout } from "./paths.ts";
import type { WorkerRecord } from "./record.ts";
import {
  type CachedFile,
  checkEntryContent,
  checkEntryTree,
  entryDirOf,
  type PackageCacheEntry,
  packageDirOf,
  readEntry,
  removeEntry,
} from "./package_cache.ts";

/** What the cache steps work with. */
export interface CacheContext {
  /** The job's event stream. */
  readonly job: ProvisionJob;
  /** Where to install (its `cacheDir` holds the entries). */
  readonly layout: Layout;
  /** Overwrite files owned by another worker or by nobody. */
  readonly force: boolean;
  /** Cancels. */
  readonly signal?: AbortSignal;
  /** Re-hash every file of an entry before installing from it. @default false */
  readonly deep?: boolean;
}

/** The install hook of a job: stage → install → record steps and the crash-test points. */
export function installStepHook(job: ProvisionJob): (point: InstallHookPoint) => Promise<void> {
  return async (point) => {
    if (point === "staged") {
      job.end("stage");
      await job.begin("install");
    }
    if (point === "journaled") await job.hook("install:journaled");
    if (point === "applying") await job.hook("install:applying");
    if (point === "recorded") await job.hook("install:recorded");
    if (point === "applied") {
      job.end("install");
      await job.begin("record");
    }
  };
}

/** What staging takes from `entry`: each file's digest and `backup` flag, by tree path. */
function entrySource(entry: PackageCacheEntry): EntrySource {
  const files = new Map<string, { sha256: string; backup?: boolean }>();
  let bytes = 0;
  for (const f of entry.files) {
    if (f.type === "file" && f.sha256) {
      files.set(f.path, { sha256: f.sha256, ...(f.backup ? { backup: true } : {}) });
      bytes += f.size;
    }
  }
  return { files, bytes };
}

/**
 * Installs worker `id` from the cache entry `key`: the entry's tree is
 * checked against its manifest and stamps (and re-hashed when `ctx.deep`),
 * its files linked or copied into the transaction (`_cache_sharing.ts`),
 * installed and recorded with `packageCache` set. Resolves to null when
 * there is no entry, or when it was damaged (then it is reported and
 * removed, and nothing was installed).
 */
export async function installFromPackageCache(
  id: string,
  key: string,
  origin: string,
  ctx: CacheContext,
): Promise<WorkerRecord | null> {
  const { job, layout } = ctx;
  const read = await readEntry(layout.cacheDir, id, key);
  if (read.state === "absent") return null;
  const damaged = async (reason: string) => {
    job.emit({ type: "provision.cached", id, key, state: "damaged", reason });
    await removeEntry(layout.cacheDir, id, key);
    return null;
  };
  if (read.state === "damaged") return await damaged(read.reason);
  const { entry, dir } = read;
  const problem = await checkEntryTree(entry, dir) ??
    (ctx.deep ? await checkEntryContent(entry, dir, ctx.signal) : null);
  if (problem) return await damaged(problem);
  job.emit({ type: "provision.cached", id, key, state: "hit" });
  for (const step of ["fetch", "extract", "run"] as const) {
    job.emit({ type: "provision.step", step, state: "skipped", id });
  }
  await job.begin("stage");
  const record = await installTrees({
    layout,
    trees: entry.packages.map((name) => ({ name, dir: join(dir, "tree", name) })),
    fromEntry: entrySource(entry),
    force: ctx.force,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    metadata: {
      ...entry.metadata,
      origin,
      packageCache: { key, builtAt: entry.builtAt },
    },
    hook: installStepHook(job),
  }).catch(mapFsError(layout.userPrefix ?? layout.root));
  job.end("record");
  return record;
}

/** How old a temporary entry must be to count as a killed run's leftover (another root may be saving it). */
const STALE_COPY_MS = 60 * 60 * 1000;

/** Removes the temporary entries `key` that a killed run left (older than an hour). */
function removeStaleCopies(dir: string, key: string): void {
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.name.startsWith(`.${key}.`) || !e.name.endsWith(".tmp")) continue;
      const path = join(dir, e.name);
      const age = Date.now() - (Deno.lstatSync(path).mtime?.getTime() ?? Date.now());
      if (age > STALE_COPY_MS) Deno.removeSync(path, { recursive: true });
    }
  } catch {
    // no directory yet, or a copy removed meanwhile
  }
}

/** A cold install's build, committed: what {@link storeEntry} keeps. */
export interface InstalledBuild {
  /** The cache key. */
  readonly key: string;
  /** The package trees installed, in order. */
  readonly trees: readonly PackageTree[];
  /** The install's staged entries (each installed file is its staged file's inode). */
  readonly staged: readonly StagedEntry[];
  /** The record the install committed. */
  readonly record: WorkerRecord;
  /** What was recorded besides the files. */
  readonly metadata: InstallMetadata;
  /** The packages' `backup` files, as tree paths (`<pkgname>/<path>`). */
  readonly backup: ReadonlySet<string>;
}

/**
 * Fills `treeDir` with the installed build: directories made (modes last,
 * so a read-only one is still filled), symlinks made, files hard-linked
 * from the root (`backup` files copied) as `_cache_sharing.ts` says.
 * Returns the manifest's files; null when an installed file changed since
 * it was staged.
 */
function fillEntryTree(treeDir: string, build: InstalledBuild): CachedFile[] | null {
  const files: CachedFile[] = [];
  const dirModes = new Map<string, number>();
  const made = new Set(build.trees.map((t) => t.name));
  for (const name of made) Deno.mkdirSync(join(treeDir, name), { recursive: true, mode: 0o700 });
  const modes = new Map(build.staged.map((s) => [s.source!, s.mode]));
  const makeDir = (path: string) => {
    if (made.has(path)) return;
    makeDir(dirname(path));
    Deno.mkdirSync(join(treeDir, path), { mode: 0o700 });
    made.add(path);
    const mode = modes.get(path) ?? 0o755; // a directory another package shipped first
    dirModes.set(path, mode);
    files.push({ path, type: "dir", mode, size: 0 });
  };
  for (const s of build.staged) {
    const path = s.source!;
    makeDir(dirname(path));
    if (s.type === "dir") makeDir(path);
    else if (s.type === "symlink") {
      Deno.symlinkSync(s.target!, join(treeDir, path));
      files.push({ path, type: "symlink", mode: 0o777, size: 0, target: s.target! });
    } else {
      const backup = build.backup.has(path);
      const stamp = keepInstalledFile(s.dest, join(treeDir, path), s.stamp!, backup);
      if (!stamp) return null;
      const { size, ino, mtimeMs } = stamp;
      const sha256 = s.sha256!;
      const flag = backup ? { backup } : {};
      files.push({ path, type: "file", mode: s.mode, size, sha256, ino, mtimeMs, ...flag });
    }
  }
  for (const [path, mode] of [...dirModes].toReversed()) Deno.chmodSync(join(treeDir, path), mode);
  return files;
}

/** Writes `entry` as `dir/entry.json` and flushes it. */
function writeManifest(dir: string, entry: PackageCacheEntry): void {
  using file = Deno.openSync(join(dir, "entry.json"), { write: true, createNew: true });
  const bytes = new TextEncoder().encode(JSON.stringify(entry) + "\n");
  for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
  file.syncDataSync();
}

/**
 * Keeps a committed cold install's build as the cache entry `build.key`:
 * the installed files hard-linked into a temporary entry (no data copied;
 * staging made it durable), the manifest written and flushed, the entry
 * renamed into place. Called under the worker's lock; never throws: a
 * build that cannot be kept is not (a killed run leaves no entry, only a
 * temporary one, removed by a later run).
 */
export async function storeEntry(build: InstalledBuild, ctx: CacheContext): Promise<void> {
  const { layout, job } = ctx;
  const { key, metadata, record } = build;
  const id = metadata.id;
  const parent = packageDirOf(layout.cacheDir, id);
  removeStaleCopies(parent, key);
  const tmp = join(parent, `.${key}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    const files = fillEntryTree(join(tmp, "tree"), build);
    if (!files) throw new Error("an installed file changed since it was staged");
    await job.hook("cache:storing");
    const { origin: _origin, ...rest } = metadata;
    writeManifest(tmp, {
      schema: 2,
      key,
      id,
      version: record.version,
      builtAt: new Date().toISOString(),
      packages: build.trees.map((t) => t.name),
      files,
      metadata: rest,
    });
    const final = entryDirOf(layout.cacheDir, id, key);
    await Deno.remove(final, { recursive: true }).catch(() => {});
    await Deno.rename(tmp, final);
    await syncDir(parent);
    job.emit({ type: "provision.cached", id, key, state: "stored" });
  } catch {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
