/**
 * Lint rule `install` (libmakepkg `lint_pkgbuild/install.sh`): the install= files of
 * the top level and of each package function exist next to the PKGBUILD.
 * Checked only when the caller lists those files ({@link LintContext.files}).
 *
 * @module
 */

import { valueAsArray } from "../model.ts";
import { checkFilesExist } from "./util.ts";
import type { LintContext, LintRule } from "./types.ts";

/** Checks the install files. */
export const lintInstall: LintRule = (pkgbuild, context: LintContext) => {
  const names = [...valueAsArray(pkgbuild.variables.install)];
  for (const pkg of pkgbuild.packages) {
    if (Object.hasOwn(pkg.overrides, "install")) names.push(...valueAsArray(pkg.overrides.install));
  }
  return checkFilesExist("install", "install", names, context);
};
