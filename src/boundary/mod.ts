/**
 * The trust boundary: every value from outside (a catalog, the command
 * line, a recipe, a package tree, a record on disk) passes one of these
 * checks before it touches a path.
 *
 * - {@link requireWorkerId}: worker ids, `pkgbase`, `pkgname`.
 * - {@link requirePackagePath}, {@link reservedPathProblem},
 *   {@link throughSymlinkProblem}: paths inside package trees.
 * - {@link parseRecordText}: record contents (schema + paths inside the root).
 * - {@link joinInside}, {@link proveContained}, {@link removeContained}:
 *   building paths and deleting, with containment proven after resolving
 *   symlinks.
 *
 * @example
 * ```ts
 * import { requireWorkerId, joinInside } from "./mod.ts";
 * const id = requireWorkerId("demo-hello", "command line");
 * console.log(joinInside("/var/lib/worker-provisioner/workers", id));
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./worker_id.ts";
export * from "./package_path.ts";
export * from "./contained_path.ts";
export * from "./record_schema.ts";
