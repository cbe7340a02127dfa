/**
 * Lint rule `source` (libmakepkg `lint_pkgbuild/source.sh`): source is not a
 * sparse array.
 *
 * The model keeps only an array's set elements, so a sparse source
 * (`source[3]=x`) shows in `Pkgbuild.sparseArrays`, or as a JavaScript array
 * with holes from a hand-built model.
 *
 * @module
 */

import type { LintRule } from "./types.ts";

/** Checks that source has no holes. */
export const lintSource: LintRule = (pkgbuild) => {
  const source = pkgbuild.variables.source;
  const sparse = pkgbuild.sparseArrays?.includes("source") ||
    (Array.isArray(source) && Object.keys(source).length !== source.length);
  if (!sparse) return [];
  return [{
    rule: "source",
    severity: "error",
    message: "Sparse arrays are not allowed for source",
    variable: "source",
  }];
};
