/**
 * Lint rule `provides` (libmakepkg `lint_pkgbuild/provides.sh`): entries are
 * `name[=version]`, never with `<` or `>`.
 *
 * @module
 */

import { checkFullpkgver } from "./fullpkgver.ts";
import { lintOnePkgname } from "./pkgname.ts";
import { allSplitAttributeValues } from "./_split_attributes.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** Checks every provides entry. */
export const lintProvides: LintRule = (pkgbuild) => {
  const findings: LintFinding[] = [];
  for (const provide of allSplitAttributeValues(pkgbuild, "provides")) {
    if (/[<>]/.test(provide)) {
      findings.push({
        rule: "provides",
        severity: "error",
        message: "provides array cannot contain comparison (< or >) operators",
        variable: "provides",
      });
      continue;
    }
    const eq = provide.lastIndexOf("=");
    const name = eq === -1 ? provide : provide.slice(0, eq);
    findings.push(...lintOnePkgname("provides", "provides", name));
    if (eq !== -1) findings.push(...checkFullpkgver("provides", provide.slice(eq + 1), "provides"));
  }
  return findings;
};
