/**
 * The binary-cache key of a build: sha256 over what decides the package's
 * content, in a fixed order: the worker id, the (static) version, arch,
 * worker_type, the recipe's sha256, and each source's name, URL, checksums
 * and VCS commit. `build` records it in the manifest (`cache_key`), and a
 * lookup computes it from the plan (git refs resolved to commits first).
 *
 * @module
 */

import { createHash } from "node:crypto";

/** What a cache key is made of. */
export interface CacheKeyInputs {
  /** The worker id. */
  readonly id: string;
  /** The PKGBUILD's version (before any pkgver(); the commits pin the rest). */
  readonly version: string;
  /** The architecture. */
  readonly arch: string;
  /** The catalog's worker_type, when known. */
  readonly worker_type?: string;
  /** sha256 of the PKGBUILD text. */
  readonly recipe_sha256: string;
  /** The sources, in order. */
  readonly sources: readonly {
    readonly name: string;
    readonly url: string;
    readonly checksums: Readonly<Record<string, string>>;
    readonly commit?: string;
  }[];
}

/** The key (64 hex digits). */
export function cacheKey(inputs: CacheKeyInputs): string {
  const canonical = {
    format: 1,
    id: inputs.id,
    version: inputs.version,
    arch: inputs.arch,
    worker_type: inputs.worker_type ?? null,
    recipe_sha256: inputs.recipe_sha256,
    sources: inputs.sources.map((s) => ({
      name: s.name,
      url: s.url,
      checksums: Object.fromEntries(Object.entries(s.checksums).sort(([a], [b]) => a < b ? -1 : 1)),
      commit: s.commit ?? null,
    })),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
