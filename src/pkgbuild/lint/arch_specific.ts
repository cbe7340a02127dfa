/**
 * Lint rule `arch_specific` (libmakepkg `lint_pkgbuild/arch_specific.sh`):
 * only the arrays that have an `_<arch>` form use one, and none exists for `any`.
 *
 * @module
 */

import { SCHEMA_ARCH_ARRAYS, valueAsArray } from "../model.ts";
import { NOT_ARCH_SPECIFIC, splitWords } from "./_schema_sets.ts";
import type { LintFinding, LintRule } from "./types.ts";

/**
 * Warns about `<array>_<arch>` variables for an architecture missing from
 * `arch`: makepkg accepts them but never uses or prints them.
 */
function unusedArchArrays(
  variables: Readonly<Record<string, unknown>>,
  arches: string[],
): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const name of Object.keys(variables)) {
    for (const array of SCHEMA_ARCH_ARRAYS) {
      if (!name.startsWith(`${array}_`)) continue;
      const a = name.slice(array.length + 1);
      if (a === "any" || arches.includes(a)) continue;
      findings.push({
        rule: "arch_specific",
        severity: "warning",
        message: `${name} is ignored: ${a} is not in arch`,
        variable: name,
      });
    }
  }
  return findings;
}

/** Checks top-level variables and package-function assignments. */
export const lintArchSpecific: LintRule = (pkgbuild, context) => {
  const findings: LintFinding[] = [];
  const arches = splitWords(valueAsArray(pkgbuild.variables.arch));
  const check = (exists: (name: string) => boolean): void => {
    for (const a of arches) {
      if (a === "any") {
        for (const name of SCHEMA_ARCH_ARRAYS) {
          if (exists(`${name}_any`)) {
            findings.push({
              rule: "arch_specific",
              severity: "error",
              message:
                `Can not provide architecture specific variables for the 'any' architecture: ${name}_any`,
              variable: `${name}_any`,
            });
          }
        }
      }
      for (const name of NOT_ARCH_SPECIFIC) {
        if (exists(`${name}_${a}`)) {
          findings.push({
            rule: "arch_specific",
            severity: "error",
            message: `${name} can not be architecture specific: ${name}_${a}`,
            variable: `${name}_${a}`,
          });
        }
      }
    }
  };
  check((name) => Object.hasOwn(pkgbuild.variables, name));
  findings.push(...unusedArchArrays(pkgbuild.variables, arches));
  for (const pkgname of splitWords(valueAsArray(pkgbuild.variables.pkgname))) {
    const assigned = context.functionAssignments(pkgname);
    check((name) => assigned.some((a) => a.name === name && a.form !== "empty"));
  }
  return findings;
};
