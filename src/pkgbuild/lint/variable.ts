/**
 * Lint rule `variable` (libmakepkg `lint_pkgbuild/variable.sh`): array
 * variables are arrays and string variables are strings, at the top level
 * and in package functions.
 *
 * @module
 */

import { SCHEMA_ARCH_ARRAYS, SCHEMA_ARRAYS, SCHEMA_STRINGS, valueAsArray } from "../model.ts";
import { splitWords } from "./_schema_sets.ts";
import type { LintFinding, LintRule } from "./types.ts";

function finding(variable: string, array: boolean): LintFinding {
  return {
    rule: "variable",
    severity: "error",
    message: `${variable} ${array ? "should be an array" : "should not be an array"}`,
    variable,
  };
}

/** Checks the type of every schema variable that is set. */
export const lintVariable: LintRule = (pkgbuild, context) => {
  const vars = pkgbuild.variables;
  const findings: LintFinding[] = [];
  const arches = splitWords(valueAsArray(vars.arch)).filter((a) => a !== "any");
  for (const name of SCHEMA_ARRAYS) {
    if (typeof vars[name] === "string") findings.push(finding(name, true));
  }
  for (const a of arches) {
    for (const name of SCHEMA_ARCH_ARRAYS) {
      if (typeof vars[`${name}_${a}`] === "string") findings.push(finding(`${name}_${a}`, true));
    }
  }
  for (const name of SCHEMA_STRINGS) {
    if (Array.isArray(vars[name])) findings.push(finding(name, false));
  }
  for (const pkgname of splitWords(valueAsArray(vars.pkgname))) {
    const assigned = context.functionAssignments(pkgname);
    const has = (name: string, form: "array" | "string"): boolean =>
      assigned.some((a) => a.name === name && a.form === form);
    for (const name of SCHEMA_ARRAYS) if (has(name, "string")) findings.push(finding(name, true));
    for (const a of arches) {
      for (const name of SCHEMA_ARCH_ARRAYS) {
        if (has(`${name}_${a}`, "string")) findings.push(finding(`${name}_${a}`, true));
      }
    }
    for (const name of SCHEMA_STRINGS) if (has(name, "array")) findings.push(finding(name, false));
  }
  return findings;
};
