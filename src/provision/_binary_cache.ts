/**
 * The binary cache in front of builds: which cache a `--binary-cache` value
 * names, and the cache key of a planned provision (its git refs resolved to
 * commits with `git ls-remote`, so a moving branch misses as it should).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { type BinaryCache, DirectoryCache, HttpCache } from "../package/binary_cache.ts";
import { cacheKey } from "../package/cache_key.ts";
import type { RegistryOptions } from "../oci/package.ts";
import { OciCache } from "../oci/cache.ts";
import type { PlannedProvision } from "./_plan.ts";

/** The cache a `--binary-cache` value names: `oci://host/repo`, an http(s) base, or a directory. */
export function openBinaryCache(
  spec: string | BinaryCache,
  registry: RegistryOptions = {},
): BinaryCache {
  if (typeof spec !== "string") return spec;
  if (spec.startsWith("oci://")) return new OciCache(spec, registry);
  if (/^https?:\/\//.test(spec)) return new HttpCache(spec);
  return new DirectoryCache(spec);
}

/** `git ls-remote` → the commit a git source's ref names now, or undefined. */
async function remoteCommit(location: string, ref?: { kind: string; value: string }) {
  if (ref?.kind === "commit") return ref.value;
  const patterns = !ref
    ? ["HEAD"]
    : ref.kind === "branch"
    ? [`refs/heads/${ref.value}`]
    : [`refs/tags/${ref.value}`, `refs/tags/${ref.value}^{}`];
  try {
    const out = await new Deno.Command("git", {
      args: ["ls-remote", "--", location, ...patterns],
      stdout: "piped",
      stderr: "null",
      clearEnv: true,
      env: { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", HOME: "/nonexistent" },
    }).output();
    if (!out.success) return undefined;
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => l.split("\t"));
    const peeled = lines.find(([, name]) => name?.endsWith("^{}"));
    return (peeled ?? lines[0])?.[0] || undefined;
  } catch {
    return undefined;
  }
}

/** The cache key of `planned`; null when a git ref cannot be resolved (then the cache is skipped). */
export async function plannedCacheKey(planned: PlannedProvision): Promise<string | null> {
  const { plan, recipe, sources } = planned;
  const commits = new Map<string, string>();
  for (const s of sources.sources) {
    if (s.entry.protocol !== "git") continue;
    const commit = await remoteCommit(s.entry.location, s.entry.ref);
    if (!commit) return null;
    commits.set(s.entry.name, commit);
  }
  return cacheKey({
    id: plan.id,
    version: plan.version,
    arch: plan.arch,
    ...(plan.entry?.worker_type ? { worker_type: plan.entry.worker_type } : {}),
    recipe_sha256: createHash("sha256").update(recipe.text).digest("hex"),
    sources: plan.sources.map((s) => ({
      name: s.name,
      url: s.url,
      checksums: s.checksums,
      ...(commits.has(s.name) ? { commit: commits.get(s.name)! } : {}),
    })),
  });
}
