/**
 * Lint rule `arch` (libmakepkg `lint_pkgbuild/arch.sh`): `any` stands alone,
 * and architecture names use only `[[:alnum:]_]`.
 *
 * It also checks, as makepkg does unless `IGNOREARCH` (`-A`, `--printsrcinfo`),
 * that `CARCH` is in `arch` (and in each package's override): an error.
 *
 * @module
 */

import { valueAsArray, valueAsString } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** Checks the top-level arch and each package's arch override. */
export const lintArch: LintRule = (pkgbuild, context) => {
  const vars = pkgbuild.variables;
  const arch = valueAsArray(vars.arch);
  if (arch.includes("any")) {
    if (arch.length === 1) return [];
    return [{
      rule: "arch",
      severity: "error",
      message: "Can not use 'any' architecture with other architectures",
      variable: "arch",
    }];
  }
  const findings: LintFinding[] = [];
  for (const a of arch) {
    const invalid = a.replace(/[A-Za-z0-9_]/g, "");
    if (invalid !== "") {
      findings.push({
        rule: "arch",
        severity: "error",
        message: `arch contains invalid characters: '${invalid}'`,
        variable: "arch",
      });
    }
  }
  if (context.ignoreArch) return findings;
  const unavailable = (name: string): LintFinding => ({
    rule: "arch",
    severity: "error",
    message: `${name} is not available for the '${pkgbuild.carch}' architecture`,
    variable: "arch",
  });
  const pkgbase = valueAsString(vars.pkgbase) || (valueAsArray(vars.pkgname)[0] ?? "");
  // makepkg stops at the first: the whole PKGBUILD is unavailable.
  if (!arch.includes(pkgbuild.carch)) return [...findings, unavailable(pkgbase)];
  for (const pkg of pkgbuild.packages) {
    const list = Object.hasOwn(pkg.overrides, "arch") ? valueAsArray(pkg.overrides.arch) : arch;
    if (list.length > 0 && list[0] !== "" && list[0] !== "any" && !list.includes(pkgbuild.carch)) {
      findings.push(unavailable(pkg.name));
    }
  }
  return findings;
};
