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
import type { WorkerBinary } from "./binary.ts";
import { type Catalog, DEFAULT_CATALOG_URL, openCatalog } from "./catalog/client.ts";
import { hostTarget, normalizePlatform } from "./compat.ts";
import type { CatalogEntry } from "./catalog/entry.ts";
import { preflightProvision } from "../preflight/provision.ts";
import type { OutdatedReport } from "./outdated.ts";
import {
  outdatedWorkers,
  type UpgradeHost,
  type UpgradeResult,
  upgradeWorkers,
} from "./upgrade.ts";
import { bestVariant, compatibleEntries, entryProblem } from "../preflight/select.ts";
import { type SystemProbe, systemProbe } from "../preflight/system.ts";
import { WorkerNotFoundError } from "./errors.ts";
import { ProvisionerError } from "../errors.ts";
import { makeBuildDir, removeBuildDir } from "./_build_dirs.ts";
import { installedIntact, registered, registeredAgain } from "./_installed_worker.ts";
import { fetchFlow, type FlowHost, provisionFlow } from "./_provision_flow.ts";
import {
  recoverLocked,
  removeWorker,
  withWorkerLock,
  type WorkerLockContext,
} from "./_worker_lock.ts";
import { type Layout, systemStateDir } from "./paths.ts";
import { listRecords, readRecord } from "./record.ts";
import { requireWorkerId } from "../boundary/worker_id.ts";
import type { RecordInvalidError } from "../boundary/errors.ts";
import {
  diagnose,
  type DiagnoseOptions,
  type DoctorReport,
  recoverLeftovers,
  type StateContext,
} from "./doctor.ts";
import type { UninstallResult } from "./uninstall.ts";
import { buildBaseOf, scanInstalled } from "./installed.ts";
import type { VerifyReport } from "./verify.ts";
import { verifyInstalled } from "./verify_installed.ts";
import {
  type PlannedProvision,
  planRecipe,
  type ProvisionPlan,
  type ResolvedRecipe,
  resolveRecipe,
} from "./_plan.ts";
import { loadStages, type Stages } from "./_stages.ts";
import { isRecipePath, parseOrReadTrusted } from "./recipe.ts";
import { stepHookOf } from "./_job.ts";
import { rethrowStorage } from "./_storage.ts";
import { plannedEnvironment } from "./_environment.ts";
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
      environment: (id) => plannedEnvironment(this.#o, this.#layout.cacheDir, id),
    });
  }

  /** The parse inside the plan step: the static evaluator, or the opt-in trusted fallback. */
  #parse(stages: Stages, recipe: ResolvedRecipe): Promise<Pkgbuild> {
    const carch = this.#target.arch;
    const parse = () => stages.parsePkgbuild(recipe.text, { carch });
    return parseOrReadTrusted(
      parse,
      this.#o.trustedMetadata ? () => this.#readTrusted(stages, recipe) : undefined,
    );
  }

  /** The trusted reader on the recipe's PKGBUILD (a copy in a build directory for a catalog recipe). */
  async #readTrusted(stages: Stages, recipe: ResolvedRecipe): Promise<Pkgbuild> {
    const options = { carch: this.#target.arch, sandbox: this.#o.sandbox ?? "auto" } as const;
    if (recipe.pkgbuildPath) return await stages.readPkgbuildTrusted(recipe.pkgbuildPath, options);
    const dir = await this.#makeBuildDir(".metadata");
    try {
      await Deno.writeTextFile(join(dir, "PKGBUILD"), recipe.text);
      return await stages.readPkgbuildTrusted(join(dir, "PKGBUILD"), options);
    } finally {
      await this.#removeBuildDir(dir);
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
  fetch(idOrPath: string, options: FetchCallOptions = {}): Promise<FetchResult> {
    return fetchFlow(this.#host, idOrPath, options);
  }

  /** Whether the catalog offers `id` for this platform, architecture and hardware (see {@link unsupportedReason}). */
  async supports(id: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    return (await this.unsupportedReason(id, options)) === null;
  }

  /**
   * Why worker `id` cannot be installed here (not in the catalog, another
   * platform or architecture, missing hardware such as an NVIDIA driver for
   * cuda, unmet dependencies unless `nodeps`), or null when it can; reads
   * its catalog entry and recipe, fetches no source.
   */
  async unsupportedReason(
    id: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<string | null> {
    try {
      const entry = await this.catalog.get(id, options);
      const problem = entryProblem({ ...entry, id }, this.#target, this.#probe);
      if (problem) return problem;
      const planned = await this.#planned(id, options.signal);
      await preflightProvision(
        { ...planned.plan, pkgbuild: planned.pkgbuild },
        this.#o,
        this.#probe,
        () => {},
      );
      return null;
    } catch (error) {
      if (error instanceof WorkerNotFoundError) return `the catalog has no worker ${id}`;
      const refusal = error instanceof ProvisionerError &&
        (error.code === "INCOMPATIBLE" || error.code === "PREFLIGHT_UNMET");
      if (refusal) return error.message;
      throw error;
    }
  }

  /** The catalog entries that can run on this machine, best variant of each implementation first. */
  async compatible(options: { signal?: AbortSignal } = {}): Promise<CatalogEntry[]> {
    return compatibleEntries(await this.catalog.list(options), this.#target, this.#probe);
  }

  /** The id of the best variant of `implementation` for this machine (cuda with an NVIDIA driver, else cpu), or null. */
  async bestVariant(
    implementation: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<string | null> {
    const entries = await this.catalog.list(options);
    return bestVariant(entries, implementation, this.#target, this.#probe)?.id ?? null;
  }

  get #probe(): SystemProbe {
    return systemProbe(this.#o.systemRoot ?? "/", this.#target.platform);
  }

  /** For each installed worker (or each of `ids`): whether its recipe, catalog version or VCS refs moved. */
  async outdated(
    ids: readonly string[] = [],
    options: { signal?: AbortSignal } = {},
  ): Promise<OutdatedReport[]> {
    for (const id of ids) requireWorkerId(id, "command line");
    return await outdatedWorkers(this.#upgradeHost, ids, options.signal);
  }

  /** Rebuilds the outdated workers (or those of `ids`), each as one transaction; see `upgradeWorkers()`. */
  async upgrade(
    ids: readonly string[] = [],
    options: ProvisionCallOptions = {},
  ): Promise<UpgradeResult[]> {
    for (const id of ids) requireWorkerId(id, "command line");
    return await upgradeWorkers(this.#upgradeHost, ids, options);
  }

  get #upgradeHost(): UpgradeHost {
    return {
      records: () => listRecords(this.#layout.stateDir, this.#layout.root),
      planLatest: (arg, signal) => this.#planned(arg, signal),
      provision: (arg, options) => this.provision(arg, options),
    };
  }

  /** Whether worker `id` is installed (has a record) in this layout. */
  async exists(id: string): Promise<boolean> {
    requireWorkerId(id, "command line");
    return (await readRecord(this.#layout.stateDir, id, this.#layout.root)) !== null;
  }

  /** Every installed worker, sorted by id (damaged records are left out: see {@link scan}). */
  async list(): Promise<WorkerBinary[]> {
    return (await this.scan()).workers;
  }

  /**
   * Every installed worker, sorted by id, and the errors of the records that
   * fail their schema (each names its file and the fix). Interrupted
   * transactions are recovered first, as far as this process may write.
   */
  scan(): Promise<{ workers: WorkerBinary[]; damaged: RecordInvalidError[] }> {
    return scanInstalled(this.#layout, this.#buildBase);
  }

  /**
   * Lists what interrupted runs left and what is damaged in the state
   * directory; with `repair`, finishes or undoes interrupted transactions,
   * removes leftovers and moves damaged records and journals aside.
   */
  doctor(options: DiagnoseOptions = {}): Promise<DoctorReport> {
    return diagnose(this.#state, options).catch(rethrowStorage(this.#layout.stateDir));
  }

  get #state(): StateContext {
    return { layout: this.#layout, buildBase: this.#buildBase };
  }

  /** Compares worker `id`'s installed files with its record. */
  verify(id: string, options: { signal?: AbortSignal } = {}): Promise<VerifyReport> {
    return verifyInstalled(this.#layout, id, {
      buildBase: this.#buildBase,
      lockTimeoutMs: this.#o.lockTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Uninstalls worker `id`: exactly its recorded files; modified ones are kept unless `force`. */
  async remove(
    id: string,
    options: { force?: boolean; signal?: AbortSignal } = {},
  ): Promise<UninstallResult> {
    requireWorkerId(id, "command line");
    await recoverLeftovers(this.#state).catch(rethrowStorage(this.#layout.stateDir));
    return await removeWorker(this.#lockContext, id, options);
  }

  /**
   * Finishes or undoes what killed processes left behind (all workers, or
   * `id`): journals are rolled back or forward, and their staging trees,
   * build directories and lock files removed. Every other call does this for
   * its own worker after taking its lock.
   */
  async recover(id?: string): Promise<void> {
    if (id === undefined) return void await recoverLeftovers(this.#state);
    const locked = requireWorkerId(id, "command line");
    await withWorkerLock(this.#lockContext, locked, undefined, () => Promise.resolve());
  }

  /** What work under one worker's lock needs. */
  get #lockContext(): WorkerLockContext {
    const hook = stepHookOf(this);
    return { ...this.#state, options: this.#o, ...(hook ? { hook } : {}) };
  }

  get #buildBase(): string {
    return buildBaseOf(this.#layout, this.#o.buildDir);
  }

  get #installRoot(): string {
    return this.#layout.userPrefix ?? this.#layout.root;
  }

  #installedIntact(plan: ProvisionPlan): Promise<WorkerBinary | null> {
    return installedIntact(this.#layout, plan);
  }

  /**
   * Provisions `idOrPath` (a catalog worker id, a PKGBUILD path or a recipe
   * directory): the whole pipeline as one transaction. Resolves to the
   * installed worker; when the same version is already installed and intact
   * (and `reinstall` is not set), changes nothing and resolves to it with
   * `alreadyInstalled: true`.
   */
  provision(idOrPath: string, options: ProvisionCallOptions = {}): Promise<WorkerBinary> {
    return provisionFlow(this.#host, idOrPath, options);
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
  async installPackage(ref: string, options: InstallPackageOptions = {}): Promise<WorkerBinary> {
    return await this.#registeredAgain(await this.#jobs.installPackage(ref, options), options);
  }

  #registeredAgain(
    worker: WorkerBinary,
    options: { onEvent?: ProvisionCallOptions["onEvent"]; jobId?: string },
  ): Promise<WorkerBinary> {
    return registeredAgain(this.#layout, this.#o.hiveCatalog, worker, options);
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

  /** The view of this provisioner that its pipelines and package jobs work through. */
  get #host(): FlowHost {
    const hook = stepHookOf(this);
    return {
      options: this.#o,
      layout: this.#layout,
      target: this.#target,
      state: this.#state,
      ...(hook ? { hook } : {}),
      catalog: () => this.catalog,
      probe: () => this.#probe,
      jobs: () => this.#jobs,
      planned: (idOrPath, signal) => this.#planned(idOrPath, signal),
      planResolved: (idOrPath, recipe) => this.#planResolved(idOrPath, recipe),
      installedIntact: (plan) => installedIntact(this.#layout, plan),
      recoverLocked: (id) => recoverLocked(this.#state, id),
      registered: (worker, job) => registered(this.#layout, this.#o.hiveCatalog, worker, job),
      registeredAgain: (worker, options) => this.#registeredAgain(worker, options),
      makeBuildDir: (id) => this.#makeBuildDir(id),
      removeBuildDir: (dir) => this.#removeBuildDir(dir),
    };
  }

  /** The package jobs (binary caches, registries, package files). */
  get #jobs(): PackageJobs {
    return this.#packageJobs ??= new PackageJobs(this.#host);
  }

  #makeBuildDir(id: string): Promise<string> {
    return makeBuildDir(this.#buildBase, id);
  }

  #removeBuildDir(dir: string): Promise<void> {
    return removeBuildDir(this.#buildBase, dir);
  }
}

/** Whether `arg` is a recipe path (rather than a catalog id), as `provision()` decides. */
export { isRecipePath };
