/**
 * Lint rule `makedepends` (libmakepkg `lint_pkgbuild/makedepends.sh`): every makedepends entry,
 * top-level, per architecture and per package, is `name[<op>version]` with a
 * valid package name and version.
 *
 * @module
 */

import { lintDependencyArray } from "./_dependency.ts";
import type { LintRule } from "./types.ts";

/** Checks every makedepends entry. */
export const lintMakedepends: LintRule = (pkgbuild) => lintDependencyArray(pkgbuild, "makedepends");
