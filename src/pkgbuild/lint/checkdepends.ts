/**
 * Lint rule `checkdepends` (libmakepkg `lint_pkgbuild/checkdepends.sh`): every checkdepends entry,
 * top-level, per architecture and per package, is `name[<op>version]` with a
 * valid package name and version.
 *
 * @module
 */

import { lintDependencyArray } from "./_dependency.ts";
import type { LintRule } from "./types.ts";

/** Checks every checkdepends entry. */
export const lintCheckdepends: LintRule = (pkgbuild) =>
  lintDependencyArray(pkgbuild, "checkdepends");
