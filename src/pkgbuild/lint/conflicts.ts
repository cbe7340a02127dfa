/**
 * Lint rule `conflicts` (libmakepkg `lint_pkgbuild/conflicts.sh`): every conflicts entry,
 * top-level, per architecture and per package, is `name[<op>version]` with a
 * valid package name and version.
 *
 * @module
 */

import { lintDependencyArray } from "./_dependency.ts";
import type { LintRule } from "./types.ts";

/** Checks every conflicts entry. */
export const lintConflicts: LintRule = (pkgbuild) => lintDependencyArray(pkgbuild, "conflicts");
