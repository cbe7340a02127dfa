/**
 * Paths inside a package tree (`usr/local/bin/x`): relative, normalized,
 * free of `..`, NUL and control characters; the destination never inside
 * the provisioner's own state or cache directories (a package cannot plant
 * a record, journal or lock) nor a file or symlink where one of their
 * ancestors must be a directory; and never through a symlink that an
 * installed or staged worker provides (symlinked-directory planting).
 *
 * @module
 */

import { dirname } from "../_path.ts";
import { UnsafePathError } from "./errors.ts";
import { isInside } from "./contained_path.ts";

/** Why the package tree path `rel` is not a safe relative path, or `null`. */
export function packagePathProblem(rel: string): string | null {
  if (rel === "") return "it is empty";
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(rel)) return "it contains a control character";
  if (rel.startsWith("/")) return "it is absolute";
  for (const segment of rel.split("/")) {
    if (segment === "") return "it has an empty segment";
    if (segment === "." || segment === "..") return `it has a '${segment}' segment`;
  }
  return null;
}

/** Returns `rel` when it is a safe package tree path; throws {@link UnsafePathError}. */
export function requirePackagePath(rel: string, source: string): string {
  const problem = packagePathProblem(rel);
  if (problem) throw new UnsafePathError(rel, source, problem);
  return rel;
}

/**
 * Why a package entry of `type` at the absolute destination `dest` may not
 * be installed given the provisioner's own directories `reserved` (state,
 * cache, build), or `null`: nothing inside them, and nothing but a
 * directory at one of their ancestors.
 */
export function reservedPathProblem(
  dest: string,
  type: "file" | "dir" | "symlink",
  reserved: readonly string[],
): string | null {
  for (const dir of reserved) {
    if (isInside(dest, dir)) return `it is inside the provisioner's own ${dir}`;
    if (type !== "dir" && isInside(dir, dest)) {
      return `a ${type} there would replace a parent of the provisioner's own ${dir}`;
    }
  }
  return null;
}

/**
 * Why `dest` may not be installed because one of its parent directories is
 * a symlink in `symlinks` (the absolute paths of the symlinks recorded by
 * installed workers and staged by this install), or `null`.
 */
export function throughSymlinkProblem(dest: string, symlinks: ReadonlySet<string>): string | null {
  for (let p = dirname(dest); p !== dirname(p); p = dirname(p)) {
    if (symlinks.has(p)) return `its parent ${p} is a symlink a worker installed`;
  }
  return null;
}

/** Throws {@link UnsafePathError} for `source`'s `rel` when `problem` is set. */
export function refuseIf(problem: string | null, rel: string, source: string): void {
  if (problem) throw new UnsafePathError(rel, source, problem);
}
