/**
 * Lint rule `backup` (libmakepkg `lint_pkgbuild/backup.sh`): backup entries
 * are relative paths (no leading slash).
 *
 * @module
 */

import { globalAndPackageValues } from "./_split_attributes.ts";
import type { LintRule } from "./types.ts";

/** Checks every backup entry, top-level and per package. */
export const lintBackup: LintRule = (pkgbuild) =>
  globalAndPackageValues(pkgbuild, "backup").filter((name) => name.startsWith("/")).map((
    name,
  ) => ({
    rule: "backup",
    severity: "error",
    message: `backup entry should not contain leading slash: ${name}`,
    variable: "backup",
  }));
