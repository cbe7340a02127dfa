/**
 * `check_fullpkgver` (libmakepkg `lint_pkgbuild/fullpkgver.sh`): checks an
 * `[epoch:]pkgver[-pkgrel]` version the way pacman's `parseEVR()` splits it
 * (epoch at the first colon, pkgrel at the last hyphen).
 *
 * @module
 */

import { checkEpoch } from "./epoch.ts";
import { checkPkgrel } from "./pkgrel.ts";
import { checkPkgver } from "./pkgver.ts";
import type { LintFinding } from "./types.ts";

/** Checks a full version found in the array `type` (`depends`, `provides`, ...). */
export function checkFullpkgver(rule: string, fullver: string, type: string): LintFinding[] {
  const findings: LintFinding[] = [];
  let ver = fullver;
  const colon = ver.indexOf(":");
  if (colon !== -1) {
    findings.push(...checkEpoch(rule, ver.slice(0, colon), type));
    ver = ver.slice(colon + 1);
  }
  const hyphen = ver.lastIndexOf("-");
  if (hyphen > 0) {
    findings.push(...checkPkgrel(rule, ver.slice(hyphen + 1), type));
    ver = ver.slice(0, hyphen);
  }
  findings.push(...checkPkgver(rule, ver, type));
  return findings;
}
