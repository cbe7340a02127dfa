/**
 * The one place paths are built from outside values and proven to stay
 * inside their directory. Lexical checks ({@link joinInside},
 * {@link isInside}) come first; {@link proveContained} then resolves every
 * symlink of the existing part of the path (the realpath of its deepest
 * existing ancestor), so a directory symlink planted by a package cannot
 * carry a later write or deletion outside. Every deletion of the
 * provisioner goes through {@link removeContained}.
 *
 * @module
 */

import { basename, dirname, isAbsolute, join, normalize, relative, sep } from "../_path.ts";
import { UnsafePathError } from "./errors.ts";

/** Where a path must stay: inside `base`, and outside every one of `excluded`. */
export interface Scope {
  /** The directory the path must be in (absolute). */
  readonly base: string;
  /** Directories inside `base` the path must not be in (the provisioner's state and cache). */
  readonly excluded?: readonly string[];
  /** Who named the path, for messages (`package demo`, `record of demo`). */
  readonly source?: string;
}

/** Whether the absolute path `path` is `dir` or lies inside it (lexically, after normalizing). */
export function isInside(path: string, dir: string): boolean {
  if (isAbsolute(path) && isAbsolute(dir)) {
    // Both absolute: a prefix test on the normalized paths (`relative()` asks for the
    // working directory on every call, about 25 us here, for thousands of package paths).
    const d = normalize(dir).replace(/\/+$/, "");
    const p = normalize(path).replace(/\/+$/, "");
    return p === d || p.startsWith(`${d}/`);
  }
  const rel = relative(normalize(dir), normalize(path));
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Joins `base` with the relative path `rel` and returns the absolute path,
 * refusing (with {@link UnsafePathError}) any `rel` that is absolute or
 * climbs out with `..`.
 */
export function joinInside(base: string, rel: string, source = "input"): string {
  if (rel.includes("\0")) throw new UnsafePathError(rel, source, "it contains a NUL byte");
  if (isAbsolute(rel)) throw new UnsafePathError(rel, source, "it is absolute");
  const path = join(base, rel);
  if (!isInside(path, base) || path === normalize(base)) {
    throw new UnsafePathError(rel, source, `it leaves ${base}`);
  }
  return path;
}

/**
 * The path `path` with every symlink of its existing part resolved: the
 * realpath of its deepest existing ancestor, joined with the rest. A
 * dangling symlink on the way is refused (a write through it would land
 * wherever it points).
 */
export async function resolveExisting(path: string, source = "input"): Promise<string> {
  const rest: string[] = [];
  for (let p = normalize(path);; p = dirname(p)) {
    try {
      const real = await Deno.realPath(p);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch (error) {
      if (
        !(error instanceof Deno.errors.NotFound) && !(error instanceof Deno.errors.NotADirectory)
      ) {
        throw error;
      }
      const link = await Deno.lstat(p).catch(() => null);
      if (link?.isSymlink) {
        throw new UnsafePathError(path, source, `${p} is a dangling symlink`);
      }
      if (dirname(p) === p) return path;
      rest.push(basename(p));
    }
  }
}

/** The lexical reason `path` is out of `scope`, or `null`. */
function scopeProblem(path: string, scope: Scope): string | null {
  if (!isInside(path, scope.base)) return `it is outside ${scope.base}`;
  for (const dir of scope.excluded ?? []) {
    if (isInside(path, dir)) return `it is inside the provisioner's own ${dir}`;
  }
  return null;
}

/**
 * Proves that `path` (absolute) stays in `scope` once the symlinks of its
 * parent directories are resolved (the last component itself is not
 * followed: a symlink is replaced or removed, never written through), and
 * returns the path with its parents resolved. Throws {@link UnsafePathError}.
 */
export async function proveContained(path: string, scope: Scope): Promise<string> {
  return (await proveEach([path], scope))[0];
}

/**
 * {@link proveContained} for many paths at once: the scope's directories
 * and each distinct parent are resolved once.
 */
export async function proveAllContained(paths: readonly string[], scope: Scope): Promise<void> {
  await proveEach(paths, scope);
}

/** Proves each of `paths` in `scope`; returns them with their parents resolved, in order. */
async function proveEach(paths: readonly string[], scope: Scope): Promise<string[]> {
  const source = scope.source ?? "input";
  const base = await resolveExisting(scope.base, source);
  const excluded = await Promise.all((scope.excluded ?? []).map((d) => resolveExisting(d, source)));
  const parents = new Map<string, string>();
  const out: string[] = [];
  for (const path of paths) {
    const lexical = scopeProblem(path, scope);
    if (lexical) throw new UnsafePathError(path, source, lexical);
    const parent = dirname(path);
    let real = parents.get(parent);
    if (real === undefined) parents.set(parent, real = await resolveExisting(parent, source));
    const resolved = join(real, basename(path));
    const problem = scopeProblem(resolved, { base, excluded });
    if (problem) {
      throw new UnsafePathError(
        path,
        source,
        `through a symlink it resolves to ${resolved}: ${problem}`,
      );
    }
    out.push(resolved);
  }
  return out;
}

/** Options of {@link removeContained}. */
export interface RemoveOptions {
  /** Remove a directory with its contents. @default false */
  readonly recursive?: boolean;
}

/**
 * Removes `path` after {@link proveContained} (never `scope.base` itself);
 * resolves to whether something was removed (`false` when it did not exist).
 */
export async function removeContained(
  path: string,
  scope: Scope,
  options: RemoveOptions = {},
): Promise<boolean> {
  if (normalize(path) === normalize(scope.base)) {
    throw new UnsafePathError(path, scope.source ?? "input", "it is the directory itself");
  }
  const resolved = await proveContained(path, scope);
  try {
    await Deno.remove(resolved, { recursive: options.recursive ?? false });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
