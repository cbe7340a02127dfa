/**
 * Lint rule `source` (libmakepkg `lint_pkgbuild/source.sh`): source is not a
 * sparse array.
 *
 * The model keeps an array's set elements in order, so a sparse source
 * (`source[3]=x`) only shows here when the evaluator hands over a JavaScript
 * array with holes; an evaluator that compacts sparse arrays must refuse a
 * sparse `source` itself.
 *
 * @module
 */

import type { LintRule } from "./types.ts";

/** Checks that source has no holes. */
export const lintSource: LintRule = (pkgbuild) => {
  const source = pkgbuild.variables.source;
  if (!Array.isArray(source) || Object.keys(source).length === source.length) return [];
  return [{
    rule: "source",
    severity: "error",
    message: "Sparse arrays are not allowed for source",
    variable: "source",
  }];
};
