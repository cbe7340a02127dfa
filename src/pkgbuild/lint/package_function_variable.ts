/**
 * Lint rule `package_function_variable` (libmakepkg
 * `lint_pkgbuild/package_function_variable.sh`): a package function sets
 * only the variables a package may override (no `source`, `pkgver`,
 * `makedepends`, ... nor their `_<arch>` forms).
 *
 * @module
 */

import { valueAsArray } from "../model.ts";
import { NOT_PACKAGE_OVERRIDABLE, splitWords } from "./_schema_sets.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** Checks each package function's assignments. */
export const lintPackageFunctionVariable: LintRule = (pkgbuild, context) => {
  const findings: LintFinding[] = [];
  const arches = splitWords(valueAsArray(pkgbuild.variables.arch)).filter((a) => a !== "any");
  const report = (variable: string): void => {
    findings.push({
      rule: "package_function_variable",
      severity: "error",
      message: `${variable} can not be set inside a package function`,
      variable,
    });
  };
  for (const pkgname of splitWords(valueAsArray(pkgbuild.variables.pkgname))) {
    const assigned = context.functionAssignments(pkgname);
    const exists = (name: string): boolean =>
      assigned.some((a) => a.name === name && a.form !== "empty");
    for (const a of arches) {
      for (const name of NOT_PACKAGE_OVERRIDABLE) {
        if (exists(`${name}_${a}`)) report(`${name}_${a}`);
      }
    }
    for (const name of NOT_PACKAGE_OVERRIDABLE) if (exists(name)) report(name);
  }
  return findings;
};
