/**
 * Lint rule `depends` (libmakepkg `lint_pkgbuild/depends.sh`): every depends entry,
 * top-level, per architecture and per package, is `name[<op>version]` with a
 * valid package name and version. An empty version (`foo=`) is allowed here only (FS#58776).
 *
 * @module
 */

import { lintDependencyArray } from "./_dependency.ts";
import type { LintRule } from "./types.ts";

/** Checks every depends entry. */
export const lintDepends: LintRule = (pkgbuild) =>
  lintDependencyArray(pkgbuild, "depends", { skipEmptyVersion: true });
