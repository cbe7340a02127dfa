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

/** A `.` or `..` component, a doubled `/`, or a trailing `/`: what {@link trimmed} must normalize. */
const UNCLEAN = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/** The absolute `path` normalized, without a trailing `/` (`/` stays `/`); a clean one as it is. */
function trimmed(path: string): string {
  return UNCLEAN.test(path) ? normalize(path).replace(/(.)\/+$/, "$1") : path;
}

/** Whether the absolute path `path` is `dir` or lies inside it (lexically, after normalizing). */
export function isInside(path: string, dir: string): boolean {
  if (isAbsolute(path) && isAbsolute(dir)) {
    // Both absolute: a prefix test on the normalized paths (`relative()` asks for the
    // working directory on every call, about 25 us here, for thousands of package paths;
    // `normalize()` only for a path that needs it).
    const d = trimmed(dir);
    const p = trimmed(path);
    return p === d || p.startsWith(d === "/" ? d : `${d}/`);
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

/**
 * {@link scopeProblem} with the scope's directories normalized once: for
 * thousands of paths against the same scope (an install's every path).
 */
function scopeChecker(scope: Scope): (path: string) => string | null {
  const dirs = [scope.base, ...(scope.excluded ?? [])];
  if (!dirs.every(isAbsolute)) return (path) => scopeProblem(path, scope);
  const [base, ...excluded] = dirs.map(trimmed);
  const inside = (p: string, d: string) => p === d || p.startsWith(d === "/" ? d : `${d}/`);
  return (path) => {
    if (!isAbsolute(path)) return scopeProblem(path, scope);
    const p = trimmed(path);
    if (!inside(p, base)) return `it is outside ${scope.base}`;
    const i = excluded.findIndex((d) => inside(p, d));
    return i < 0 ? null : `it is inside the provisioner's own ${scope.excluded![i]}`;
  };
}

/**
 * Resolves `dir` as {@link resolveExisting} does, remembering every
 * directory resolved on the way in `known` (the parents of an install's
 * paths share their ancestors: each is resolved once).
 */
async function resolveKnown(
  dir: string,
  known: Map<string, string>,
  source: string,
): Promise<string> {
  const cached = known.get(dir);
  if (cached !== undefined) return cached;
  let real: string;
  try {
    real = await Deno.realPath(dir);
  } catch (error) {
    if (
      !(error instanceof Deno.errors.NotFound) && !(error instanceof Deno.errors.NotADirectory)
    ) {
      throw error;
    }
    const link = await Deno.lstat(dir).catch(() => null);
    if (link?.isSymlink) throw new UnsafePathError(dir, source, `${dir} is a dangling symlink`);
    const up = dirname(dir);
    real = up === dir ? dir : join(await resolveKnown(up, known, source), basename(dir));
  }
  known.set(dir, real);
  return real;
}

/** Proves each of `paths` in `scope`; returns them with their parents resolved, in order. */
async function proveEach(paths: readonly string[], scope: Scope): Promise<string[]> {
  const source = scope.source ?? "input";
  const base = await resolveExisting(scope.base, source);
  const excluded = await Promise.all((scope.excluded ?? []).map((d) => resolveExisting(d, source)));
  const lexicalProblem = scopeChecker(scope);
  const resolvedProblem = scopeChecker({ base, excluded });
  const parents = new Map<string, string>();
  const out: string[] = [];
  for (const path of paths) {
    const lexical = lexicalProblem(path);
    if (lexical) throw new UnsafePathError(path, source, lexical);
    const real = await resolveKnown(normalize(dirname(path)), parents, source);
    const resolved = join(real, basename(path));
    const problem = resolvedProblem(resolved);
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
