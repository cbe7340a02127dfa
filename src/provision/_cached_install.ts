/**
 * The local package cache in the install pipeline (`package_cache.ts`):
 * keeping the package trees of a build ({@link stashTrees}, before staging
 * consumes them; the entry is completed once the install committed), and
 * installing from a kept entry ({@link installFromPackageCache}) through the
 * same transaction, with no fetch, extraction or recipe function.
 *
 * The cache is best effort on the way in: a tree that cannot be copied is
 * not kept, and the install goes on. On the way out it is checked: a
 * damaged entry is reported (`provision.cached`, `damaged`), removed, and
 * the worker built as if it were absent.
 *
 * @module
 */

import { join } from "node:path";
import { mapFsError, type ProvisionJob } from "./_job.ts";
import { modeOf, walkTree } from "./_fs.ts";
import { PACKAGE_METADATA } from "./_stage.ts";
import {
  type InstallHookPoint,
  type InstallMetadata,
  installTrees,
  type PackageTree,
  type StagedEntry,
} from "./install.ts";
import { destinationOf, type Layout } from "./paths.ts";
import type { WorkerRecord } from "./record.ts";
import {
  type CachedFile,
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
}

/** A cached entry's tree that staging found different from its manifest. */
class EntryDamaged extends Error {}

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

/** Throws {@link EntryDamaged} when a staged file's sha256 is not the manifest's. */
function digestCheck(
  expected: ReadonlyMap<string, string>,
): (entries: readonly StagedEntry[]) => void {
  return (entries) => {
    for (const e of entries) {
      if (e.type !== "file") continue;
      if (expected.get(e.dest) !== e.sha256) {
        throw new EntryDamaged(`${e.dest} does not have the sha256 its manifest names`);
      }
    }
  };
}

/**
 * Installs worker `id` from the cache entry `key`: the entry's tree is
 * checked against its manifest, copied into the transaction (every file
 * hashed and compared), installed and recorded with `packageCache` set.
 * Resolves to null when there is no entry, or when it was damaged (then it
 * is reported and removed, and nothing was installed).
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
  const problem = await checkEntryTree(entry, dir);
  if (problem) return await damaged(problem);
  job.emit({ type: "provision.cached", id, key, state: "hit" });
  for (const step of ["fetch", "extract", "run"] as const) {
    job.emit({ type: "provision.step", step, state: "skipped", id });
  }
  const expected = new Map<string, string>();
  for (const f of entry.files) {
    const rel = f.path.slice(f.path.indexOf("/") + 1);
    if (f.type === "file" && f.sha256) expected.set(destinationOf(layout, rel), f.sha256);
  }
  await job.begin("stage");
  try {
    const record = await installTrees({
      layout,
      trees: entry.packages.map((name) => ({ name, dir: join(dir, "tree", name) })),
      force: ctx.force,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      metadata: {
        ...entry.metadata,
        origin,
        packageCache: { key, builtAt: entry.builtAt },
      },
      checkStaged: digestCheck(expected),
      hook: installStepHook(job),
    }).catch(mapFsError(layout.userPrefix ?? layout.root));
    job.end("record");
    return record;
  } catch (error) {
    if (error instanceof EntryDamaged) return await damaged(error.message);
    throw error;
  }
}

/** How old a temporary entry must be to count as a killed run's leftover (another root may be saving it). */
const STALE_COPY_MS = 60 * 60 * 1000;

/** Removes the temporary copies of entry `key` that a killed run left (older than an hour). */
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

/** A copy of a build's trees on its way into the cache. */
export interface PendingEntry {
  /** Completes the entry with the hashes of the install's record; never throws. */
  commit(record: WorkerRecord): Promise<void>;
  /** Drops the copy (the install failed). */
  discard(): Promise<void>;
}

/**
 * Copies `tree` into `dest`: directories, symlinks, and files copied in the
 * kernel (`copy_file_range`; a reflink where the filesystem shares extents),
 * never hard-linked: an installed file must not share its data with the
 * entry, or an edit in one root would change the cache and every other
 * root installed from it. Returns the paths copied.
 */
async function copyTree(
  tree: PackageTree,
  dest: string,
): Promise<{ rel: string; info: Deno.FileInfo }[]> {
  Deno.mkdirSync(dest, { recursive: true });
  const copied = [];
  for (const e of await walkTree(tree.dir)) {
    if (!e.rel.includes("/") && PACKAGE_METADATA.has(e.rel)) continue;
    const to = join(dest, e.rel);
    if (e.info.isDirectory) Deno.mkdirSync(to, { mode: 0o700 });
    else if (e.info.isSymlink) Deno.symlinkSync(Deno.readLinkSync(e.path), to);
    else if (e.info.isFile) Deno.copyFileSync(e.path, to);
    else continue;
    copied.push({ rel: e.rel, info: e.info });
  }
  // Directory modes last (a read-only directory is still filled).
  for (const c of copied.toReversed()) {
    if (!c.info.isSymlink) Deno.chmodSync(join(dest, c.rel), modeOf(c.info));
  }
  return copied;
}

/**
 * Copies the trees a build produced into a new cache entry for `key`, under
 * a temporary name; null when they cannot be copied (the install goes on,
 * the build is not kept). The caller commits the entry once its install
 * committed, or discards it.
 */
export async function stashTrees(
  key: string,
  trees: readonly PackageTree[],
  metadata: InstallMetadata,
  ctx: CacheContext,
): Promise<PendingEntry | null> {
  const { layout, job } = ctx;
  const id = metadata.id;
  removeStaleCopies(packageDirOf(layout.cacheDir, id), key);
  const tmp = join(
    packageDirOf(layout.cacheDir, id),
    `.${key}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  const discard = () => Deno.remove(tmp, { recursive: true }).catch(() => {});
  const copied: { name: string; rel: string; info: Deno.FileInfo }[] = [];
  try {
    for (const tree of trees) {
      for (const c of await copyTree(tree, join(tmp, "tree", tree.name))) {
        copied.push({ name: tree.name, ...c });
      }
    }
  } catch {
    await discard();
    return null;
  }
  const builtAt = new Date().toISOString();
  return {
    discard,
    async commit(record) {
      const digests = new Map(record.files.map((f) => [f.path, f.sha256]));
      const files: CachedFile[] = copied.map((c) => {
        const path = `${c.name}/${c.rel}`;
        if (c.info.isDirectory) return { path, type: "dir", mode: modeOf(c.info), size: 0 };
        if (c.info.isSymlink) {
          return {
            path,
            type: "symlink",
            mode: 0o777,
            size: 0,
            target: Deno.readLinkSync(join(tmp, "tree", path)),
          };
        }
        const sha256 = digests.get(destinationOf(layout, c.rel));
        return {
          path,
          type: "file",
          mode: modeOf(c.info),
          size: c.info.size,
          ...(sha256 ? { sha256 } : {}),
        };
      });
      const { origin: _origin, ...rest } = metadata;
      const entry: PackageCacheEntry = {
        schema: 1,
        key,
        id,
        version: record.version,
        builtAt,
        packages: trees.map((t) => t.name),
        files,
        metadata: rest,
      };
      try {
        if (files.some((f) => f.type === "file" && !f.sha256)) {
          throw new Error("a file has no digest");
        }
        await Deno.writeTextFile(join(tmp, "entry.json"), JSON.stringify(entry) + "\n");
        const final = entryDirOf(layout.cacheDir, id, key);
        await Deno.remove(final, { recursive: true }).catch(() => {});
        await Deno.rename(tmp, final);
        job.emit({ type: "provision.cached", id, key, state: "stored" });
      } catch {
        await discard();
      }
    },
  };
}
