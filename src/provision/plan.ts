/**
 * What a provision will do, computed before anything is fetched: the value
 * of `WorkerProvisioner.plan()`, of the `plan` command and of
 * `onPlan`. Made by the plan step (`_plan.ts`).
 *
 * @module
 */

import type { CatalogEntry } from "./catalog/entry.ts";

/** One source of a {@link ProvisionPlan}. */
export interface PlannedDownload {
  /** The file name in srcdir. */
  readonly name: string;
  /** The URL (or local file name). */
  readonly url: string;
  /** `https`, `git`, `local`, ... */
  readonly protocol: string;
  /** The host contacted (`host:port`), for network sources. */
  readonly host?: string;
  /** Pinned checksums by algorithm. */
  readonly checksums: Readonly<Record<string, string>>;
  /** Kept whole in srcdir (`noextract`). */
  readonly noextract: boolean;
}

/** What a provision will do, computed before anything is fetched (`plan` command, `--permissions`). */
export interface ProvisionPlan {
  /** The worker id (catalog id, or the PKGBUILD's pkgbase for a path). */
  readonly id: string;
  /** Full version from the PKGBUILD (pkgver() may change it). */
  readonly version: string;
  /** The architecture (`--arch` or the host's). */
  readonly arch: string;
  /** The platform. */
  readonly platform: string;
  /** Where the recipe comes from. */
  readonly origin: string;
  /** The catalog entry, when there is one. */
  readonly entry?: CatalogEntry;
  /** pkgbase. */
  readonly pkgbase: string;
  /** All packages the recipe builds. */
  readonly packages: readonly string[];
  /** The packages that will be installed (the one named like the id, else all). */
  readonly install: readonly string[];
  /** Sources fetched, in order. */
  readonly sources: readonly PlannedDownload[];
  /** Every network host contacted for sources (`host:port`). */
  readonly hosts: readonly string[];
  /** Recipe functions that will run, in order. */
  readonly functions: readonly string[];
  /**
   * Every program the provision may start, sorted: what `--allow-run=` must
   * list (see {@link programsOf}).
   */
  readonly programs: readonly string[];
  /** The directories a provision writes (and reads): where files go, state, cache, build. */
  readonly paths: PlannedPaths;
  /** Toolchains, build cache and variables the recipe functions get beyond the clean default. */
  readonly environment?: PlannedEnvironment;
  /** Things worth a warning, e.g. the catalog's `version` and the recipe's `pkgver` disagree. */
  readonly warnings?: readonly string[];
  /**
   * Environment variables the PKGBUILD's top level reads but does not set,
   * sorted (the metadata sees them unset, or does not depend on them).
   */
  readonly environmentReads?: readonly string[];
}

/** What the recipe functions get beyond the clean environment (see `src/run/environment.ts`). */
export interface PlannedEnvironment {
  /** Toolchain directories put in front of `PATH` (bound read-only), in order. */
  readonly toolchains: readonly { readonly kind: string; readonly bin: string }[];
  /** The worker's persistent build cache (bound read-write), when kept. */
  readonly buildCache?: string;
  /**
   * Variables set: `NAME=VALUE` for the toolchains' and the cache's, only
   * `NAME` for those passed by the operator (their values may be secrets).
   */
  readonly variables: readonly string[];
}

/** The directories of a {@link ProvisionPlan}. */
export interface PlannedPaths {
  /** Where the package tree is installed: the root, or the user prefix (`~/.local`). */
  readonly install: string;
  /** The state directory (records, locks, journal, staging). */
  readonly state: string;
  /** The source cache. */
  readonly cache: string;
  /** Where the build directory is made (removed after the run). */
  readonly build: string;
}
