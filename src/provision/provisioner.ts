/**
 * {@link WorkerProvisioner}: puts a worker onto this machine, following the
 * ArtifactProvisioner pattern of rbee's model provisioner (`provision(id,
 * job, cancel) → artifact`, `supports(id)`, a catalog of installed
 * artifacts). The pipeline is a straight line, each step taking the
 * previous step's value:
 *
 * resolve → plan → lock → fetch (and verify) → extract → run → stage →
 * install → record
 *
 * Layout (see `paths.ts`): `root` (`--root`) with state in
 * `ROOT/var/lib/worker-provisioner/`, or a user prefix (`~/.local`) with
 * state in `$XDG_STATE_HOME/worker-provisioner`; the CLI computes them with
 * `defaultLayout()` and passes them in. Library code never reads the
 * environment: the catalog URL, the caller's environment for the build and
 * every path are options.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { ProvisionerError } from "../errors.ts";
import { type WorkerBinary, workerBinaryOf } from "./binary.ts";
import { type Catalog, DEFAULT_CATALOG_URL, openCatalog } from "./catalog/client.ts";
import { hostTarget, incompatibility, normalizePlatform } from "./compat.ts";
import { NotInstalledError, WorkerNotFoundError } from "./errors.ts";
import { acquireLock, type WorkerLock } from "./lock.ts";
import { type Layout, statePaths, systemStateDir } from "./paths.ts";
import { listRecords, readRecord } from "./record.ts";
import { uninstallRecord, type UninstallResult } from "./uninstall.ts";
import { verifyRecord, type VerifyReport } from "./verify.ts";
import { recoverWorker, type RecoveryOutcome } from "./_journal.ts";
import {
  isRecipePath,
  type PlannedProvision,
  planRecipe,
  type ProvisionPlan,
  type ResolvedRecipe,
  resolveRecipe,
} from "./_plan.ts";
import { loadStages, type Stages } from "./_stages.ts";
import { mapFsError, ProvisionJob } from "./_job.ts";
import { buildAndInstall } from "./_build.ts";
import { fetchPlanned } from "./_fetch.ts";
import { isPackageRef } from "./_package_install.ts";
import { isOciRef } from "../oci/reference.ts";
import { type CacheStatus, type InstallPackageOptions, PackageJobs } from "./_package_jobs.ts";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import type {
  BuildCallOptions,
  BuildResult,
  FetchCallOptions,
  FetchResult,
  ProvisionCallOptions,
  WorkerProvisionerOptions,
} from "./options.ts";

export type { CacheStatus, InstallPackageOptions } from "./_package_jobs.ts";
export type {
  BuildCallOptions,
  BuildResult,
  FetchCallOptions,
  FetchResult,
  ProvisionCallOptions,
  WorkerProvisionerOptions,
} from "./options.ts";

/** Puts workers onto this machine (or into a root), as transactions. */
export class WorkerProvisioner {
  readonly #o: WorkerProvisionerOptions;
  readonly #layout: Layout;
  #catalog?: Catalog;
  #packageJobs?: PackageJobs;

  /** Creates a provisioner; nothing is read or written until a method is called. */
  constructor(options: WorkerProvisionerOptions = {}) {
    this.#o = options;
    const root = resolve(options.root ?? "/");
    this.#layout = {
      root,
      ...(options.userPrefix !== undefined ? { userPrefix: resolve(options.userPrefix) } : {}),
      stateDir: resolve(options.stateDir ?? systemStateDir(root)),
      cacheDir: resolve(options.cacheDir ?? join(root, "var/cache/worker-provisioner")),
    };
  }

  /** The layout in use. */
  get layout(): Layout {
    return this.#layout;
  }

  /** The catalog in use (opened on first use). */
  get catalog(): Catalog {
    const c = this.#o.catalog;
    this.#catalog ??= typeof c === "object"
      ? c
      : openCatalog(c ?? DEFAULT_CATALOG_URL, this.#o.catalogOptions);
    return this.#catalog;
  }

  get #target() {
    const t = hostTarget(this.#o.arch);
    return this.#o.platform ? { ...t, platform: normalizePlatform(this.#o.platform) } : t;
  }

  async #planned(idOrPath: string, signal?: AbortSignal): Promise<PlannedProvision> {
    return this.#planResolved(idOrPath, await resolveRecipe(idOrPath, () => this.catalog, signal));
  }

  async #planResolved(idOrPath: string, recipe: ResolvedRecipe): Promise<PlannedProvision> {
    const stages = await loadStages();
    return await planRecipe(recipe, idOrPath, stages, (r) => this.#parse(stages, r), this.#target, {
      strict: this.#o.strict ?? false,
      check: this.#o.check ?? true,
      sandbox: this.#o.sandbox ?? "auto",
      ...(this.#o.makepkgConf ? { makepkgConf: this.#o.makepkgConf } : {}),
      paths: {
        install: this.#installRoot,
        state: this.#layout.stateDir,
        cache: this.#layout.cacheDir,
        build: this.#buildBase,
      },
    });
  }

  /** The parse inside the plan step: the static evaluator, or the opt-in trusted fallback. */
  async #parse(stages: Stages, recipe: ResolvedRecipe): Promise<Pkgbuild> {
    const carch = this.#target.arch;
    try {
      return stages.parsePkgbuild(recipe.text, { carch });
    } catch (error) {
      if (!this.#o.trustedMetadata || !(error instanceof ProvisionerError)) throw error;
      if (recipe.pkgbuildPath) {
        return await stages.readPkgbuildTrusted(recipe.pkgbuildPath, {
          carch,
          sandbox: this.#o.sandbox ?? "auto",
        });
      }
      const dir = await this.#makeBuildDir(".metadata");
      try {
        await Deno.writeTextFile(join(dir, "PKGBUILD"), recipe.text);
        return await stages.readPkgbuildTrusted(join(dir, "PKGBUILD"), {
          carch,
          sandbox: this.#o.sandbox ?? "auto",
        });
      } finally {
        await this.#removeBuildDir(dir);
      }
    }
  }

  /** What provisioning `idOrPath` would fetch (hosts, checksums), run and write; fetches nothing but the recipe. */
  async plan(idOrPath: string, options: { signal?: AbortSignal } = {}): Promise<ProvisionPlan> {
    return (await this.#planned(idOrPath, options.signal)).plan;
  }

  /**
   * Fetches and verifies the sources of `idOrPath` for the target
   * architecture into the cache (resolve → plan → fetch): nothing is built
   * or installed, and no lock or state is touched. Ends its event stream
   * with `provision.fetched`.
   */
  async fetch(idOrPath: string, options: FetchCallOptions = {}): Promise<FetchResult> {
    const { signal } = options;
    const job = new ProvisionJob(options.jobId ?? crypto.randomUUID(), idOrPath, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(signal ? { signal } : {}),
      ...(this.#o.onStep ? { hook: this.#o.onStep } : {}),
    });
    let scratch: string | undefined;
    try {
      const recipe = await job.step(
        "resolve",
        () => resolveRecipe(idOrPath, () => this.catalog, signal),
      );
      const planned = await job.step("plan", () => this.#planResolved(idOrPath, recipe));
      const { plan } = planned;
      job.id = plan.id;
      await options.onPlan?.(plan);
      // A recipe without a directory has no local sources: look them up in an empty one.
      const recipeDir = recipe.recipeDir ?? (scratch = await this.#makeBuildDir(plan.id));
      const sources = await fetchPlanned(planned, {
        job,
        layout: this.#layout,
        options: this.#o,
        recipeDir,
        ...(signal ? { signal } : {}),
      });
      job.emit({
        type: "provision.fetched",
        id: plan.id,
        version: plan.version,
        arch: plan.arch,
        sources: sources.length,
      });
      return { plan, sources };
    } catch (error) {
      throw job.failed(error);
    } finally {
      if (scratch) {
        await this.#removeBuildDir(scratch);
        await Deno.remove(this.#buildBase).catch(() => {}); // only when empty
      }
    }
  }

  /** Whether the catalog offers `id` for this platform and architecture (its entry; no build). */
  async supports(id: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      const entry = await this.catalog.get(id, options);
      return incompatibility({ ...entry, id }, this.#target) === null;
    } catch (error) {
      if (error instanceof WorkerNotFoundError) return false;
      throw error;
    }
  }

  /** Whether worker `id` is installed (has a record) in this layout. */
  async exists(id: string): Promise<boolean> {
    return (await readRecord(this.#layout.stateDir, id, this.#layout.root)) !== null;
  }

  /** Every installed worker, sorted by id. */
  async list(): Promise<WorkerBinary[]> {
    return (await listRecords(this.#layout.stateDir, this.#layout.root)).map((r) =>
      workerBinaryOf(r)
    );
  }

  /** Compares worker `id`'s installed files with its record. */
  async verify(id: string, options: { signal?: AbortSignal } = {}): Promise<VerifyReport> {
    await this.#withLock(id, options.signal, () => Promise.resolve());
    const record = await readRecord(this.#layout.stateDir, id, this.#layout.root);
    if (!record) throw new NotInstalledError(id, this.#installRoot);
    return await verifyRecord(record, options.signal);
  }

  /** Uninstalls worker `id`: exactly its recorded files; modified ones are kept unless `force`. */
  remove(
    id: string,
    options: { force?: boolean; signal?: AbortSignal } = {},
  ): Promise<UninstallResult> {
    return this.#withLock(id, options.signal, async () => {
      const record = await readRecord(this.#layout.stateDir, id, this.#layout.root);
      if (!record) throw new NotInstalledError(id, this.#installRoot);
      const { root, userPrefix, cacheDir } = this.#layout;
      return await uninstallRecord(this.#layout.stateDir, record, {
        force: options.force ?? this.#o.force ?? false,
        root,
        keepDirs: [cacheDir, ...(userPrefix ? [userPrefix] : [])],
      });
    });
  }

  /**
   * Finishes or undoes what killed processes left behind (all workers, or
   * `id`): journals are rolled back or forward, and their staging trees,
   * build directories and lock files removed. Every other call does this for
   * its own worker after taking its lock.
   */
  async recover(id?: string): Promise<void> {
    const ids = id !== undefined ? [id] : await leftoverIds(this.#layout.stateDir);
    for (const i of ids) await this.#withLock(i, undefined, () => Promise.resolve());
  }

  /** Recovery of worker `id`, its lock held. */
  async #recoverLocked(id: string): Promise<RecoveryOutcome> {
    const outcome = await recoverWorker(this.#layout, id);
    const base = this.#buildBase;
    try {
      for await (const e of Deno.readDir(base)) {
        if (e.name.startsWith(`${id}~`)) {
          await Deno.remove(join(base, e.name), { recursive: true }).catch(() => {});
        }
      }
    } catch {
      // no build directory
    }
    return outcome;
  }

  get #buildBase(): string {
    return resolve(this.#o.buildDir ?? join(this.#layout.cacheDir, "build"));
  }

  get #installRoot(): string {
    return this.#layout.userPrefix ?? this.#layout.root;
  }

  async #withLock<T>(
    id: string,
    signal: AbortSignal | undefined,
    fn: (lock: WorkerLock) => Promise<T>,
  ): Promise<T> {
    const lock = await acquireLock(statePaths(this.#layout.stateDir).lock(id), {
      id,
      timeoutMs: this.#o.lockTimeoutMs,
      signal,
    }).catch(mapFsError(this.#layout.stateDir));
    try {
      await this.#recoverLocked(id);
      return await fn(lock);
    } finally {
      await lock.release();
    }
  }

  /** Returns the installed record of `plan` when it is the same version and intact. */
  async #installedIntact(plan: ProvisionPlan): Promise<WorkerBinary | null> {
    const record = await readRecord(this.#layout.stateDir, plan.id, this.#layout.root);
    if (!record || record.version !== plan.version || record.arch !== plan.arch) return null;
    return (await verifyRecord(record)).ok ? workerBinaryOf(record, true) : null;
  }

  /**
   * Provisions `idOrPath` (a catalog worker id, a PKGBUILD path or a recipe
   * directory): the whole pipeline as one transaction. Resolves to the
   * installed worker; when the same version is already installed and intact
   * (and `reinstall` is not set), changes nothing and resolves to it with
   * `alreadyInstalled: true`.
   */
  async provision(idOrPath: string, options: ProvisionCallOptions = {}): Promise<WorkerBinary> {
    if (isPackageRef(idOrPath)) return await this.installPackage(idOrPath, options);
    if (isOciRef(idOrPath)) return await this.#jobs.installFromRegistry(idOrPath, options);
    const { signal } = options;
    const job = new ProvisionJob(options.jobId ?? crypto.randomUUID(), idOrPath, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(signal ? { signal } : {}),
      ...(this.#o.onStep ? { hook: this.#o.onStep } : {}),
    });
    let lock: WorkerLock | undefined;
    let buildDir: string | undefined;
    try {
      const recipe = await job.step(
        "resolve",
        () => resolveRecipe(idOrPath, () => this.catalog, signal),
      );
      const planned = await job.step("plan", () => this.#planResolved(idOrPath, recipe));
      const id = job.id = planned.plan.id;
      await options.onPlan?.(planned.plan);
      const early = options.reinstall ? null : await this.#installedIntact(planned.plan);
      if (early) return job.done(early, "lock");
      if (this.#o.binaryCache !== undefined) {
        const cached = await this.#jobs.provisionViaCache(idOrPath, planned, options);
        if (cached) return cached;
      }
      lock = await job.step("lock", () =>
        acquireLock(statePaths(this.#layout.stateDir).lock(id), {
          id,
          timeoutMs: this.#o.lockTimeoutMs,
          signal,
          onWait: (holder) =>
            job.emit({ type: "provision.lock-wait", id, ...(holder ? { holder } : {}) }),
        }).catch(mapFsError(this.#layout.stateDir)));
      const outcome = await this.#recoverLocked(id);
      if (outcome !== "none") job.emit({ type: "provision.recovered", id, outcome });
      const again = options.reinstall ? null : await this.#installedIntact(planned.plan);
      if (again) return job.done(again, "fetch");
      buildDir = await this.#makeBuildDir(id);
      return job.done(workerBinaryOf(
        await buildAndInstall(planned, {
          buildDir,
          job,
          layout: this.#layout,
          options: this.#o,
          ...(signal ? { signal } : {}),
        }),
      ));
    } catch (error) {
      throw job.failed(error);
    } finally {
      if (buildDir && !this.#o.keepBuildDir) {
        await this.#removeBuildDir(buildDir);
      }
      await lock?.release();
    }
  }

  /**
   * Builds `idOrPath` into binary packages in `options.outputDir` (resolve →
   * plan → fetch → extract → run → tidy → package) without installing
   * anything; a split recipe gives one package per `pkgname` (plus
   * `<pkgbase>-debug` with `debug`). No lock or state is touched.
   */
  build(idOrPath: string, options: BuildCallOptions): Promise<BuildResult> {
    return this.#jobs.build(idOrPath, options);
  }

  /**
   * Installs a binary package (a `.pkg.tar.zst` path or http(s) URL, as
   * `build` writes): read and verified file by file against its manifest,
   * checked by `packageVerifiers`, then installed and recorded as one
   * transaction like a built worker. With `sha256`, the file must have it.
   */
  installPackage(ref: string, options: InstallPackageOptions = {}): Promise<WorkerBinary> {
    return this.#jobs.installPackage(ref, options);
  }

  /**
   * What the binary cache holds for `idOrPath` (nothing is downloaded): its
   * key and whether an install would use the cached package (`hit`) or
   * build (and, with `publishToCache`, publish). Null without a cache.
   */
  cacheStatus(
    idOrPath: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CacheStatus | null> {
    return this.#jobs.cacheStatus(idOrPath, options);
  }

  /** The package jobs' view of this provisioner. */
  get #jobs(): PackageJobs {
    return this.#packageJobs ??= new PackageJobs({
      options: this.#o,
      layout: this.#layout,
      target: this.#target,
      catalog: () => this.catalog,
      planned: (idOrPath, signal) => this.#planned(idOrPath, signal),
      planResolved: (idOrPath, recipe) => this.#planResolved(idOrPath, recipe),
      installedIntact: (plan) => this.#installedIntact(plan as ProvisionPlan),
      recoverLocked: (id) => this.#recoverLocked(id),
      makeBuildDir: (id) => this.#makeBuildDir(id),
      removeBuildDir: (dir) => this.#removeBuildDir(dir),
    });
  }

  /** Makes a fresh build directory under the build base (retrying if a finishing job removed the empty base meanwhile). */
  async #makeBuildDir(id: string): Promise<string> {
    const base = this.#buildBase;
    for (let attempt = 0;; attempt++) {
      await Deno.mkdir(base, { recursive: true }).catch(mapFsError(base));
      try {
        return await Deno.makeTempDir({ dir: base, prefix: `${id}~` });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound) || attempt >= 5) throw error;
      }
    }
  }

  /** Removes a build directory and, when no other job uses it, the build base. */
  async #removeBuildDir(dir: string): Promise<void> {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.remove(this.#buildBase).catch(() => {}); // only when empty
  }
}

/** Ids with a journal, a lock file or a staging tree: what killed processes may have left. */
async function leftoverIds(stateDir: string): Promise<string[]> {
  const paths = statePaths(stateDir);
  const ids = new Set<string>();
  const scan = async (dir: string, idOf: (name: string) => string | null) => {
    try {
      for await (const e of Deno.readDir(dir)) {
        const id = idOf(e.name);
        if (id) ids.add(id);
      }
    } catch {
      // the directory does not exist: nothing left there
    }
  };
  await scan(paths.journalDir, (n) => (n.endsWith(".json") ? n.slice(0, -5) : null));
  await scan(paths.locksDir, (n) => (n.endsWith(".lock") ? n.slice(0, -5) : null));
  await scan(paths.stagingDir, (n) => (n.includes("~") ? n.slice(0, n.indexOf("~")) : null));
  return [...ids].sort();
}

/** Whether `arg` is a recipe path (rather than a catalog id), as `provision()` decides. */
export { isRecipePath };
