/**
 * The options of {@link WorkerProvisioner} and of its calls.
 *
 * @module
 */

import type { EventSink } from "../events.ts";
import type { Toolchain } from "../run/toolchain.ts";
import type { ExtractLimits, FetchedSource, FetchOptions } from "../source/mod.ts";
import type { Catalog, CatalogOptions } from "./catalog/client.ts";
import type { ProvisionEnvelope } from "./events.ts";
import type { ProvisionPlan } from "./plan.ts";
import type { TidyConfig } from "../tidy/options.ts";
import type { WrittenPackage } from "../package/write.ts";
import type { PackageVerifier } from "../package/verify.ts";
import type { RegistryOptions } from "../oci/package.ts";
import type { BinaryCache } from "../package/binary_cache.ts";
import type { PackageBuildOptions } from "./_package_build.ts";

/** Options of `WorkerProvisioner`. */
export interface WorkerProvisionerOptions {
  /** Catalog URL or directory (the CLI resolves `--catalog` > `WORKER_CATALOG_URL` > default), or a catalog. @default "http://localhost:8787" */
  readonly catalog?: string | Catalog;
  /** Timeouts and size limits of the HTTP catalog client. @default {} */
  readonly catalogOptions?: CatalogOptions;
  /** Install root; package paths are relative to it. @default "/" */
  readonly root?: string;
  /** User installs: map package paths into this prefix (e.g. `~/.local`) instead of `root`. @default none */
  readonly userPrefix?: string;
  /** State directory (records, locks, journal, staging). @default `ROOT/var/lib/worker-provisioner` */
  readonly stateDir?: string;
  /** Source cache. @default `ROOT/var/cache/worker-provisioner` */
  readonly cacheDir?: string;
  /** Where build directories are made. @default `CACHEDIR/build` */
  readonly buildDir?: string;
  /** Architecture to install for (`--arch`); spellings like `arm64` are normalised. @default the host's */
  readonly arch?: string;
  /** Platform to install for. @default the host's */
  readonly platform?: string;
  /** Run recipe functions in bubblewrap: `auto` (when it works), `require`, or `off`. @default "auto" */
  readonly sandbox?: "auto" | "require" | "off";
  /**
   * When the static evaluator refuses a PKGBUILD, read its metadata by
   * sourcing it in a sandboxed bash with no network (`readPkgbuildTrusted`).
   * Only for recipes you trust. @default false
   */
  readonly trustedMetadata?: boolean;
  /** Options passed to `fetchSources` (retries, timeouts, proxy, offline). @default {} */
  readonly fetchOptions?: Omit<FetchOptions, "cacheDir" | "recipeDir" | "signal" | "onEvent">;
  /** Limits that stop a decompression bomb while sources are extracted (bytes, entries, ratio). @default DEFAULT_EXTRACT_LIMITS */
  readonly extractLimits?: ExtractLimits;
  /** Run `check()`. @default true */
  readonly check?: boolean;
  /** Keep the build directory after the run. @default false */
  readonly keepBuildDir?: boolean;
  /** Overwrite files owned by another worker or by nobody. @default false */
  readonly force?: boolean;
  /** Refuse `SKIP` checksums on non-VCS sources. @default false */
  readonly strict?: boolean;
  /** Environment offered to recipe functions (the runner keeps only its allow-list). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Toolchains bound read-only into the sandbox and put on `PATH` (`discoverToolchains()`). @default [] */
  readonly toolchains?: readonly Toolchain[];
  /** Variables passed to every recipe function as given (`--pass-env`, `--env`). @default {} */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /** Keep per-worker build caches (`CACHEDIR/build-cache/<id>`, e.g. `CARGO_HOME`) across builds. @default true */
  readonly buildCache?: boolean;
  /**
   * rbee-hive's worker catalog directory: each installed worker is
   * registered as `DIR/<id>/metadata.json`, removed on uninstall (the CLI
   * defaults it to `~/.cache/rbee/workers` without `--root`). @default none: no registration
   */
  readonly hiveCatalog?: string;
  /** Skip the dependency check of preflight (makepkg's `--nodeps`); hardware is still checked. @default false */
  readonly nodeps?: boolean;
  /** The system root preflight probes (dpkg status, `/proc/driver/nvidia`, `/etc/ld.so.cache`). @default "/" */
  readonly systemRoot?: string;
  /**
   * makepkg.conf's values for the tidy steps run after `package()` (strip,
   * docs, libtool, staticlibs, emptydirs, zipman, purge, debug), which the
   * recipe's `options=()` override. @default `DEBIAN_MAKEPKG_CONF`
   */
  readonly makepkgConf?: TidyConfig;
  /**
   * Checks run on every binary package before it is installed, after its
   * digests were verified (the seam for signature checks). @default []
   */
  readonly packageVerifiers?: readonly PackageVerifier[];
  /** How to reach OCI registries for `oci://` installs (credentials, insecure hosts). @default anonymous */
  readonly registry?: Omit<RegistryOptions, "signal">;
  /**
   * A binary cache in front of builds: `oci://host/repo`, an http(s) base
   * or a directory (or a cache). `provision()` installs a cached package
   * whose key matches, and builds otherwise. @default none
   */
  readonly binaryCache?: string | BinaryCache;
  /** On a binary-cache miss, build a package, publish it to the cache, then install it. @default false */
  readonly publishToCache?: boolean;
  /**
   * Keep each build's package trees in the cache directory
   * (`CACHEDIR/packages/<id>/<key>`) and install from them while the key
   * (recipe, sources, arch, build environment, provisioner version) is the
   * same, instead of building again (see `package_cache.ts`). An entry is
   * trusted on the stamps (size, mtime, inode, mode) of its files; `"deep"`
   * also re-hashes every file before installing from it. @default true
   */
  readonly packageCache?: boolean | "deep";
  /** How long to wait for a worker's lock held by another process, in ms. @default 300000 */
  readonly lockTimeoutMs?: number;
}

/** Options of `WorkerProvisioner.provision()`. */
export interface ProvisionCallOptions {
  /** Cancels the job; everything is rolled back. */
  readonly signal?: AbortSignal;
  /** The job id events carry. @default a random UUID */
  readonly jobId?: string;
  /** Receives every event, enveloped. */
  readonly onEvent?: EventSink<ProvisionEnvelope>;
  /** Install again even when the same version is installed and intact. @default false */
  readonly reinstall?: boolean;
  /** Build even when the local package cache holds this build (the new build replaces it). @default false */
  readonly rebuild?: boolean;
  /**
   * Called with the plan before the worker's lock is taken and anything is
   * fetched (e.g. to check permissions for its hosts and programs); a throw
   * stops the job. @default none
   */
  readonly onPlan?: (plan: ProvisionPlan) => void | Promise<void>;
}

/** Options of `WorkerProvisioner.fetch()`. */
export interface FetchCallOptions {
  /** Cancels the job; what is fetched completely stays in the cache, partial downloads do not. */
  readonly signal?: AbortSignal;
  /** The job id events carry. @default a random UUID */
  readonly jobId?: string;
  /** Receives every event, enveloped. */
  readonly onEvent?: EventSink<ProvisionEnvelope>;
  /**
   * Called with the plan before anything is fetched (e.g. to check
   * permissions for its hosts); a throw stops the job. @default none
   */
  readonly onPlan?: (plan: ProvisionPlan) => void | Promise<void>;
}

/** What `WorkerProvisioner.fetch()` resolves to. */
export interface FetchResult {
  /** The plan the sources were fetched for. */
  readonly plan: ProvisionPlan;
  /** Every source, in the cache and verified. */
  readonly sources: readonly FetchedSource[];
}

/** Options of `WorkerProvisioner.build()`. */
export interface BuildCallOptions extends PackageBuildOptions {
  /** Cancels the build; the build directory is removed. */
  readonly signal?: AbortSignal;
  /** The job id events carry. @default a random UUID */
  readonly jobId?: string;
  /** Receives every event, enveloped. */
  readonly onEvent?: EventSink<ProvisionEnvelope>;
  /** Called with the plan before anything is fetched; a throw stops the job. @default none */
  readonly onPlan?: (plan: ProvisionPlan) => void | Promise<void>;
}

/** What `WorkerProvisioner.build()` resolves to. */
export interface BuildResult {
  /** The plan that was built. */
  readonly plan: ProvisionPlan;
  /** The packages written, in `pkgname` order (a `-debug` package last). */
  readonly packages: readonly WrittenPackage[];
}

export type { PackageBuildOptions } from "./_package_build.ts";
export type { CacheStatus, InstallPackageOptions } from "./_package_jobs.ts";
