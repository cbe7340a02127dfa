/**
 * Running makepkg's lint rules on an evaluated recipe and formatting the
 * findings, shared by `lint` and `srcinfo`.
 *
 * @module
 */

import { type LintFinding, lintPkgbuild, type Pkgbuild } from "../../pkgbuild/mod.ts";

/** Lints `pkgbuild` with the recipe directory's file list (for the install/changelog checks; skipped when unknown). */
export function lintRecipe(
  pkgbuild: Pkgbuild,
  files: readonly string[] | undefined,
  command: string,
): LintFinding[] {
  // `srcinfo` is makepkg's --printsrcinfo, which ignores the architecture (IGNOREARCH).
  return lintPkgbuild(pkgbuild, {
    ...(files ? { files: new Set(files) } : {}),
    ignoreArch: command === "srcinfo",
  });
}

/** Formats findings one per line: `error: message [rule]`. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.severity}: ${f.message} [${f.rule}]\n`).join("");
}
