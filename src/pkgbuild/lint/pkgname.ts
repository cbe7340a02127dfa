/**
 * Lint rule `pkgname` (libmakepkg `lint_pkgbuild/pkgname.sh`): pkgname is
 * set, and each name uses only `[[:alnum:]+_.@-]`, ASCII, and does not start
 * with a hyphen or a dot.
 *
 * @module
 */

import { valueAsArray } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";

/**
 * makepkg's `lint_one_pkgname`: checks one package name, reported as `type`
 * (`pkgname`, `pkgbase`, `depends`, ...).
 */
export function lintOnePkgname(rule: string, type: string, name: string): LintFinding[] {
  const error = (message: string): LintFinding => ({
    rule,
    severity: "error",
    message,
    variable: type,
  });
  if (name === "") return [error(`${type} is not allowed to be empty`)];
  const findings: LintFinding[] = [];
  if (name[0] === "-") findings.push(error(`${type} is not allowed to start with a hyphen`));
  if (name[0] === ".") findings.push(error(`${type} is not allowed to start with a dot`));
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(name)) {
    return [...findings, error(`${type} may only contain ascii characters`)];
  }
  const invalid = name.replace(/[A-Za-z0-9+_.@-]/g, "");
  if (invalid !== "") findings.push(error(`${type} contains invalid characters: '${invalid}'`));
  return findings;
}

/** Checks every element of pkgname. */
export const lintPkgname: LintRule = (pkgbuild) => {
  const names = valueAsArray(pkgbuild.variables.pkgname);
  if (names.join(" ") === "") {
    return [{
      rule: "pkgname",
      severity: "error",
      message: "pkgname is not allowed to be empty",
      variable: "pkgname",
    }];
  }
  return names.flatMap((name) => lintOnePkgname("pkgname", "pkgname", name));
};
