/**
 * Lint rule `pkglist` (libmakepkg `lint_pkgbuild/pkglist.sh`): every package
 * asked for (makepkg's `--pkg`) is in pkgname.
 *
 * @module
 */

import { valueAsArray } from "../model.ts";
import type { LintRule } from "./types.ts";

/** Checks {@link LintContext.pkglist} against pkgname. */
export const lintPkglist: LintRule = (pkgbuild, context) => {
  const names = valueAsArray(pkgbuild.variables.pkgname);
  return context.pkglist.filter((name) => !names.includes(name)).map((name) => ({
    rule: "pkglist",
    severity: "error",
    message: `Requested package ${name} is not provided in PKGBUILD`,
    variable: "pkgname",
  }));
};
