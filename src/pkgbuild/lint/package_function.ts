/**
 * Lint rule `package_function` (libmakepkg `lint_pkgbuild/package_function.sh`):
 * a single package has `package()` or `package_<name>()` (not both; one is
 * required when there is a `build()`), a split package has one
 * `package_<name>()` per name and no `package()`.
 *
 * @module
 */

import { valueAsArray, valueAsString } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** Checks the package functions against pkgname. */
export const lintPackageFunction: LintRule = (pkgbuild) => {
  const has = (name: string): boolean => Object.hasOwn(pkgbuild.functions, name);
  const names = valueAsArray(pkgbuild.variables.pkgname);
  const error = (message: string): LintFinding => ({
    rule: "package_function",
    severity: "error",
    message,
  });
  if (names.length === 1) {
    const own = `package_${names[0]}`;
    if (has("package") && has(own)) {
      return [error(`Conflicting package() and ${own}() functions in PKGBUILD`)];
    }
    if (has("build") && !has("package") && !has(own)) {
      return [error("Missing package() function in PKGBUILD")];
    }
    return [];
  }
  const findings: LintFinding[] = [];
  if (has("package")) {
    const pkgbase = valueAsString(pkgbuild.variables.pkgbase) || (names[0] ?? "");
    findings.push(error(`Extra package() function for split package '${pkgbase}'`));
  }
  for (const name of names) {
    if (!has(`package_${name}`)) {
      findings.push(error(`Missing package_${name}() function for split package '${name}'`));
    }
  }
  return findings;
};
