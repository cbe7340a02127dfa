/**
 * The key of the local package cache: sha256 over everything that decides
 * the content of the package trees a build produces, so that a later
 * install with the same key may take the cached trees instead of fetching,
 * extracting and running the recipe again.
 *
 * In the key: the provisioner's version; the binary-cache key of the plan
 * (worker id, declared version, arch, worker_type, the PKGBUILD's sha256,
 * each source's name, URL, pinned checksums and, for git, the commit its
 * ref names now: `plannedCacheKey`); the platform; the sha256 of every
 * local source file whose checksums are all `SKIP`, as it is now; the variables
 * the recipe functions get (`--env`/`--pass-env` values, the caller's
 * allow-listed variables other than proxies and `TERM`, the toolchains'
 * directories and variables); makepkg.conf's tidy settings; and whether the
 * trusted metadata reader may read the recipe.
 *
 * Left out, because they do not change what `package()` puts into
 * `$pkgdir`: `check()` (`--nocheck`, as makepkg's own package names do not
 * carry it), the sandbox mode, the build cache directories, fetch options
 * and extraction limits.
 *
 * No key (the cache is not used): a remote non-VCS source whose checksums
 * are all `SKIP` (its content is unknown until fetched), a VCS source other
 * than git, a git ref that cannot be resolved, a local source that cannot
 * be read.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { VERSION } from "../version.ts";
import { isAllowedVariable } from "../run/environment.ts";
import { sha256File } from "../_hash.ts";
import { plannedCacheKey } from "./_binary_cache.ts";
import type { PlannedProvision } from "./_plan.ts";
import type { WorkerProvisionerOptions } from "./options.ts";

/** Caller variables that reach the recipe but not what it builds. */
const IGNORED_VARIABLES = /^(TERM|(http|https|ftp|all|no)_proxy|(HTTP|HTTPS|FTP|ALL|NO)_PROXY)$/;

/** The caller's variables the recipe's `package()` sees and that may change its output, sorted. */
function keyedEnvironment(env: Readonly<Record<string, string>> = {}): [string, string][] {
  return Object.entries(env)
    .filter(([name]) => isAllowedVariable(name, "package") && !IGNORED_VARIABLES.test(name))
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

/** Where a local source (`local`, `file://`) lies, or null when it cannot be told. */
function localPathOf(planned: PlannedProvision, location: string): string | null {
  if (location.startsWith("file:")) return new URL(location.replace(/^file\+/, "")).pathname;
  if (isAbsolute(location)) return location;
  return planned.recipe.recipeDir ? join(planned.recipe.recipeDir, location) : null;
}

/**
 * sha256 of each local source file (`local` and `file://`) whose checksums
 * are all `SKIP` (a pinned one is in the binary key already), or null when
 * one cannot be read.
 */
async function localSourceDigests(planned: PlannedProvision): Promise<string[] | null> {
  const digests: string[] = [];
  for (const s of planned.sources.sources) {
    const { protocol, location, name } = s.entry;
    if (protocol !== "local" && protocol !== "file") continue;
    if (Object.keys(s.checksums).length > 0) continue;
    try {
      const path = localPathOf(planned, location);
      if (path === null) return null;
      digests.push(`${name}=${await sha256File(path)}`);
    } catch {
      return null;
    }
  }
  return digests;
}

/** Whether a source's content is unknown before it is fetched (and no commit can pin it). */
function unpinned(planned: PlannedProvision): boolean {
  return planned.sources.sources.some((s) => {
    const { protocol } = s.entry;
    if (protocol === "git" || protocol === "local" || protocol === "file") return false;
    if (["bzr", "fossil", "hg", "svn"].includes(protocol)) return true;
    return Object.keys(s.checksums).length === 0;
  });
}

/** The key of `planned` under `options` (64 hex digits), or null when the build cannot be keyed. */
export async function localPackageKey(
  planned: PlannedProvision,
  options: WorkerProvisionerOptions,
): Promise<string | null> {
  if (unpinned(planned)) return null;
  const local = await localSourceDigests(planned);
  if (local === null) return null;
  const binaryKey = await plannedCacheKey(planned);
  if (binaryKey === null) return null;
  const canonical = {
    format: 1,
    provisioner: VERSION,
    binaryKey,
    platform: planned.plan.platform,
    local,
    env: keyedEnvironment(options.env),
    buildEnv: Object.entries(options.buildEnv ?? {}).sort(([a], [b]) => a < b ? -1 : 1),
    toolchains: (options.toolchains ?? []).map((t) => ({
      kind: t.kind,
      bin: t.bin,
      env: Object.entries(t.env).sort(([a], [b]) => a < b ? -1 : 1),
    })),
    makepkgConf: options.makepkgConf ?? null,
    trustedMetadata: options.trustedMetadata ?? false,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
