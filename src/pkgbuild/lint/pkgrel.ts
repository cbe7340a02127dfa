/**
 * Lint rule `pkgrel` (libmakepkg `lint_pkgbuild/pkgrel.sh`): pkgrel is
 * `integer[.integer]`.
 *
 * @module
 */

import { valueAsString } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** makepkg's `check_pkgrel`: `type` names where the release came from (`depends`, ...). */
export function checkPkgrel(rule: string, rel: string, type = ""): LintFinding[] {
  const what = type ? `pkgrel in ${type}` : "pkgrel";
  const variable = type || "pkgrel";
  if (rel === "") {
    return [{ rule, severity: "error", message: `${what} is not allowed to be empty`, variable }];
  }
  if (!/^[0-9]+(\.[0-9]+)?$/.test(rel)) {
    return [{
      rule,
      severity: "error",
      message: `${what} must be of the form 'integer[.integer]', not ${rel}`,
      variable,
    }];
  }
  return [];
}

/** Checks the top-level pkgrel. */
export const lintPkgrel: LintRule = (pkgbuild) =>
  checkPkgrel("pkgrel", valueAsString(pkgbuild.variables.pkgrel));
