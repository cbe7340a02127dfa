/**
 * Lint rule `pkgver` (libmakepkg `lint_pkgbuild/pkgver.sh`): pkgver is set,
 * ASCII, and has no colon, slash, hyphen or whitespace.
 *
 * @module
 */

import { valueAsString } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";
import { BASH_SPACE_CLASS } from "../_bash_space.ts";

const FORBIDDEN = new RegExp(`${BASH_SPACE_CLASS.slice(0, -1)}/:-]`);

/** makepkg's `check_pkgver`: `type` names where the version came from (`depends`, ...). */
export function checkPkgver(rule: string, ver: string, type = ""): LintFinding[] {
  const what = type ? `pkgver in ${type}` : "pkgver";
  const error = (message: string): LintFinding[] => [{
    rule,
    severity: "error",
    message: `${what} ${message}`,
    variable: type || "pkgver",
  }];
  if (ver === "") return error("is not allowed to be empty");
  if (FORBIDDEN.test(ver)) {
    return error("is not allowed to contain colons, forward slashes, hyphens or whitespace");
  }
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(ver)) return error("may only contain ascii characters");
  return [];
}

/** Checks the top-level pkgver. */
export const lintPkgver: LintRule = (pkgbuild) =>
  checkPkgver("pkgver", valueAsString(pkgbuild.variables.pkgver));
