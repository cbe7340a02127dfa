/**
 * Lint rule `pkgbase` (libmakepkg `lint_pkgbuild/pkgbase.sh`): pkgbase (which
 * makepkg defaults to the first pkgname before linting) is a valid package name.
 *
 * @module
 */

import { valueAsArray, valueAsString } from "../model.ts";
import { lintOnePkgname } from "./pkgname.ts";
import type { LintRule } from "./types.ts";

/** Checks `${pkgbase:-${pkgname[0]}}` like a package name; empty is fine (pkgname reports it). */
export const lintPkgbase: LintRule = (pkgbuild) => {
  const vars = pkgbuild.variables;
  const pkgbase = valueAsString(vars.pkgbase) || (valueAsArray(vars.pkgname)[0] ?? "");
  return pkgbase === "" ? [] : lintOnePkgname("pkgbase", "pkgbase", pkgbase);
};
