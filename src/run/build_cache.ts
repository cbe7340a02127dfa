/**
 * Build caches that survive builds: one directory per worker under the
 * provisioner's cache (`CACHEDIR/build-cache/<id>/`), bound read-write into
 * the sandbox. `cargo/` is `CARGO_HOME` (cargo keeps its registry index,
 * unpacked crates and git checkouts there, so a second build of the same
 * worker downloads and unpacks nothing); `generic/` holds the caches of
 * other tools, each pointed there by its own variable (npm, pip, ccache,
 * Go, and `XDG_CACHE_HOME` for the rest).
 *
 * @module
 */

import { join } from "node:path";

/** The subdirectory of the provisioner's cache directory holding build caches. */
export const BUILD_CACHE_SUBDIR = "build-cache";

/** The cache directories of one worker. */
export interface BuildCacheDirs {
  /** `CACHEDIR/build-cache/<id>`. */
  readonly root: string;
  /** cargo's home (registry, git checkouts). */
  readonly cargo: string;
  /** Other tools' caches. */
  readonly generic: string;
}

/** The build cache directories of worker `id` under `cacheDir`. */
export function buildCacheDirs(cacheDir: string, id: string): BuildCacheDirs {
  const root = join(cacheDir, BUILD_CACHE_SUBDIR, id);
  return { root, cargo: join(root, "cargo"), generic: join(root, "generic") };
}

/** The variables that point each tool at its cache. */
export function buildCacheEnv(dirs: BuildCacheDirs): Record<string, string> {
  return {
    CARGO_HOME: dirs.cargo,
    npm_config_cache: join(dirs.generic, "npm"),
    PIP_CACHE_DIR: join(dirs.generic, "pip"),
    CCACHE_DIR: join(dirs.generic, "ccache"),
    GOMODCACHE: join(dirs.generic, "go/mod"),
    GOCACHE: join(dirs.generic, "go/build"),
    XDG_CACHE_HOME: join(dirs.generic, "xdg"),
  };
}

/** Creates the cache directories (bwrap binds only existing ones). */
export async function ensureBuildCache(dirs: BuildCacheDirs): Promise<void> {
  await Deno.mkdir(dirs.cargo, { recursive: true });
  await Deno.mkdir(dirs.generic, { recursive: true });
}
