/**
 * The package jobs of `WorkerProvisioner`: `build` (a recipe into
 * binary packages), `installPackage` (a package file or URL through the
 * install transaction), installs from an `oci://` reference, and the binary
 * cache in front of `provision()`. They use the provisioner's planning,
 * locking and build directories through {@link JobHost}.
 *
 * @module
 */

import type { Catalog } from "./catalog/client.ts";
import type { HostTarget } from "./compat.ts";
import { type WorkerBinary, workerBinaryOf } from "./binary.ts";
import { acquireLock, type WorkerLock } from "./lock.ts";
import { type Layout, statePaths } from "./paths.ts";
import { mapFsError, ProvisionJob, type StepHook } from "./_job.ts";
import { type PlannedProvision, type ResolvedRecipe, resolveRecipe } from "./_plan.ts";
import { buildPackages } from "./_package_build.ts";
import { installReadyPackage, preparePackage } from "./_package_install.ts";
import { openBinaryCache, plannedCacheKey } from "./_binary_cache.ts";
import type { BinaryCache } from "../package/binary_cache.ts";
import { PackageCorruptError } from "../package/errors.ts";
import type { PackageVerifier, RegistrySignatures } from "../package/verify.ts";
import type {
  BuildCallOptions,
  BuildResult,
  ProvisionCallOptions,
  WorkerProvisionerOptions,
} from "./options.ts";

/** What the package jobs use of the provisioner. */
export interface JobHost {
  /** The provisioner's options. */
  readonly options: WorkerProvisionerOptions;
  /** Where to install. */
  readonly layout: Layout;
  /** The target platform and arch. */
  readonly target: HostTarget;
  /** The catalog (opened on first use). */
  readonly catalog: () => Catalog;
  /** resolve → plan. */
  planned(idOrPath: string, signal?: AbortSignal): Promise<PlannedProvision>;
  /** plan of a resolved recipe. */
  planResolved(idOrPath: string, recipe: ResolvedRecipe): Promise<PlannedProvision>;
  /** The installed worker when the same id, version and arch is installed and intact. */
  installedIntact(
    plan: { readonly id: string; readonly version: string; readonly arch: string },
  ): Promise<WorkerBinary | null>;
  /** Recovery of a worker, its lock held. */
  recoverLocked(id: string): Promise<unknown>;
  /** A fresh build directory. */
  makeBuildDir(id: string): Promise<string>;
  /** Removes a build directory. */
  removeBuildDir(dir: string): Promise<void>;
  /** The test hook set with `setStepHook`, if any. */
  readonly hook?: StepHook;
}

/** Options of `WorkerProvisioner.installPackage()`. */
export interface InstallPackageOptions extends ProvisionCallOptions {
  /** The sha256 the package file must have. @default not checked */
  readonly sha256?: string;
  /** What the record names as the origin. @default the reference */
  readonly origin?: string;
  /** The binary-cache key the manifest must carry. @default not checked */
  readonly expectCacheKey?: string;
  /** The signatures the registry the package was pulled from holds for it. */
  readonly registrySignatures?: RegistrySignatures;
  /** This provisioner built the package just now: `packageVerifiers` (signatures) do not apply. */
  readonly builtHere?: boolean;
}

/** What the binary cache holds for a worker (see `WorkerProvisioner.cacheStatus`). */
export interface CacheStatus {
  /** The cache. */
  readonly location: string;
  /** The cache key; null when a git ref could not be resolved (the cache is skipped). */
  readonly key: string | null;
  /** Whether the cache holds the package. */
  readonly hit: boolean;
  /** What an install will do. */
  readonly action: "install-cached" | "build" | "build-and-publish";
}

/** The package jobs over one provisioner. */
export class PackageJobs {
  readonly #h: JobHost;

  /** Creates the jobs over `host`. */
  constructor(host: JobHost) {
    this.#h = host;
  }

  /**
   * Builds `idOrPath` into binary packages in `options.outputDir` (resolve →
   * plan → fetch → extract → run → tidy → package) without installing
   * anything; a split recipe gives one package per `pkgname` (plus
   * `<pkgbase>-debug` with `debug`). No lock or state is touched.
   */
  async build(idOrPath: string, options: BuildCallOptions): Promise<BuildResult> {
    const { signal } = options;
    const job = new ProvisionJob(options.jobId ?? crypto.randomUUID(), idOrPath, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(signal ? { signal } : {}),
      ...(this.#h.hook ? { hook: this.#h.hook } : {}),
    });
    let buildDir: string | undefined;
    try {
      const recipe = await job.step(
        "resolve",
        () => resolveRecipe(idOrPath, this.#h.catalog, signal),
      );
      const planned = await job.step("plan", () => this.#h.planResolved(idOrPath, recipe));
      job.id = planned.plan.id;
      await options.onPlan?.(planned.plan);
      buildDir = await this.#h.makeBuildDir(planned.plan.id);
      const packages = await buildPackages(planned, {
        buildDir,
        job,
        layout: this.#h.layout,
        options: this.#h.options,
        ...(signal ? { signal } : {}),
      }, options);
      return { plan: planned.plan, packages };
    } catch (error) {
      throw job.failed(error);
    } finally {
      if (buildDir && !this.#h.options.keepBuildDir) await this.#h.removeBuildDir(buildDir);
    }
  }

  /**
   * Installs a binary package (a `.pkg.tar.zst` path or http(s) URL, as
   * `build` writes): read and verified file by file against its manifest,
   * checked by `packageVerifiers`, then installed and recorded as one
   * transaction like a built worker. With `sha256`, the file must have it.
   */
  async installPackage(
    ref: string,
    options: InstallPackageOptions = {},
  ): Promise<WorkerBinary> {
    const { signal } = options;
    const job = new ProvisionJob(options.jobId ?? crypto.randomUUID(), ref, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(signal ? { signal } : {}),
      ...(this.#h.hook ? { hook: this.#h.hook } : {}),
    });
    let lock: WorkerLock | undefined;
    let buildDir: string | undefined;
    try {
      buildDir = await this.#h.makeBuildDir("package");
      const ready = await preparePackage(ref, job, {
        buildDir,
        target: this.#h.target,
        verifiers: [
          ...(options.expectCacheKey ? [cacheKeyVerifier(options.expectCacheKey)] : []),
          ...(options.builtHere ? [] : this.#h.options.packageVerifiers ?? []),
        ],
        ...(options.sha256 ? { sha256: options.sha256 } : {}),
        ...(options.registrySignatures ? { registrySignatures: options.registrySignatures } : {}),
        ...(this.#h.options.extractLimits ? { extractLimits: this.#h.options.extractLimits } : {}),
        ...(signal ? { signal } : {}),
      });
      const m = ready.manifest;
      const same = { id: m.id, version: m.version, arch: m.arch };
      const early = options.reinstall ? null : await this.#h.installedIntact(same);
      if (early) return job.done(early, "lock");
      lock = await job.step(
        "lock",
        () =>
          acquireLock(statePaths(this.#h.layout.stateDir).lock(m.id), {
            id: m.id,
            timeoutMs: this.#h.options.lockTimeoutMs,
            signal,
          }).catch(mapFsError(this.#h.layout.stateDir)),
      );
      await this.#h.recoverLocked(m.id);
      const again = options.reinstall ? null : await this.#h.installedIntact(same);
      if (again) return job.done(again, "fetch");
      const record = await installReadyPackage(
        { ...ready, origin: options.origin ?? ready.origin },
        {
          job,
          layout: this.#h.layout,
          force: this.#h.options.force ?? false,
          consumeTree: !this.#h.options.keepBuildDir, // the build dir is removed afterwards
          ...(signal ? { signal } : {}),
        },
      );
      return job.done(workerBinaryOf(record));
    } catch (error) {
      throw job.failed(error);
    } finally {
      if (buildDir && !this.#h.options.keepBuildDir) await this.#h.removeBuildDir(buildDir);
      await lock?.release();
    }
  }

  /** The binary cache in use, when one is configured. */
  get #binaryCache(): BinaryCache | undefined {
    const spec = this.#h.options.binaryCache;
    return spec === undefined ? undefined : openBinaryCache(spec, this.#h.options.registry);
  }

  /**
   * What the binary cache holds for `idOrPath` (nothing is downloaded): its
   * key and whether an install would use the cached package (`hit`) or
   * build (and, with `publishToCache`, publish). Null without a cache.
   */
  async cacheStatus(
    idOrPath: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CacheStatus | null> {
    const cache = this.#binaryCache;
    if (!cache) return null;
    const planned = await this.#h.planned(idOrPath, options.signal);
    const key = await plannedCacheKey(planned);
    const query = { id: planned.plan.id, arch: planned.plan.arch, key: key ?? "" };
    const hit = key !== null && await cache.has(query, options.signal);
    return {
      location: cache.location,
      key,
      hit,
      action: hit
        ? "install-cached"
        : this.#h.options.publishToCache
        ? "build-and-publish"
        : "build",
    };
  }

  /**
   * The binary-cache path of `provision()`: a hit installs the cached package
   * (verified, and its manifest must carry the key); a miss with
   * `publishToCache` builds a package once, publishes it and installs it;
   * a plain miss returns null (the caller builds and installs).
   */
  async provisionViaCache(
    idOrPath: string,
    planned: PlannedProvision,
    options: ProvisionCallOptions,
  ): Promise<WorkerBinary | null> {
    const cache = this.#binaryCache!;
    const key = await plannedCacheKey(planned);
    if (key === null) return null;
    const query = { id: planned.plan.id, arch: planned.plan.arch, key };
    const dir = await this.#h.makeBuildDir(`${planned.plan.id}.cache`);
    try {
      const hit = await cache.fetch(query, dir, options.signal);
      const expectKey = { expectCacheKey: key };
      if (hit) {
        return await this.installPackage(hit, { ...options, ...expectKey, origin: cache.location });
      }
      if (!this.#h.options.publishToCache) return null;
      const built = await this.build(idOrPath, {
        outputDir: dir,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.jobId ? { jobId: options.jobId } : {}),
      });
      const pkg = built.packages.find((p) => planned.plan.install.includes(p.manifest.pkgname)) ??
        built.packages[0];
      await cache.publish(query, pkg.path, options.signal);
      return await this.installPackage(pkg.path, {
        ...options,
        ...expectKey,
        sha256: pkg.sha256,
        builtHere: true,
      });
    } finally {
      await this.#h.removeBuildDir(dir);
    }
  }

  /** Pulls the package of the target architecture from an `oci://` reference, then `installPackage`. */
  async installFromRegistry(ref: string, options: ProvisionCallOptions): Promise<WorkerBinary> {
    const dir = await this.#h.makeBuildDir("oci");
    try {
      const { pullPackage } = await import("../oci/package.ts");
      const registry = {
        ...this.#h.options.registry,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const pulled = await pullPackage(ref, this.#h.target.arch, dir, registry);
      const { fetchPackageSignatures } = await import("../oci/signature.ts");
      const registrySignatures = await fetchPackageSignatures(ref, pulled.manifestDigest, registry);
      return await this.installPackage(pulled.path, {
        ...options,
        sha256: pulled.sha256,
        origin: ref,
        registrySignatures,
      });
    } finally {
      await this.#h.removeBuildDir(dir);
    }
  }
}

/** Refuses a cached package whose manifest does not carry the cache key it was found under. */
function cacheKeyVerifier(key: string): PackageVerifier {
  return (pkg) => {
    if (pkg.manifest.cache_key !== key) {
      throw new PackageCorruptError(
        pkg.origin,
        `its cache key ${
          pkg.manifest.cache_key ?? "(none)"
        } is not the key it was found under, ${key}`,
      );
    }
  };
}
