/**
 * Lint rule `changelog` (libmakepkg `lint_pkgbuild/changelog.sh`): the changelog= files of
 * the top level and of each package function exist next to the PKGBUILD.
 * Checked only when the caller lists those files ({@link LintContext.files}).
 *
 * @module
 */

import { valueAsArray } from "../model.ts";
import { checkFilesExist } from "./util.ts";
import type { LintContext, LintRule } from "./types.ts";

/** Checks the changelog files. */
export const lintChangelog: LintRule = (pkgbuild, context: LintContext) => {
  const names = [...valueAsArray(pkgbuild.variables.changelog)];
  for (const pkg of pkgbuild.packages) {
    if (Object.hasOwn(pkg.overrides, "changelog")) {
      names.push(...valueAsArray(pkg.overrides.changelog));
    }
  }
  return checkFilesExist("changelog", "changelog", names, context);
};
