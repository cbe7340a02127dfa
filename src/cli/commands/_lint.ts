/**
 * Running makepkg's lint rules on an evaluated recipe and formatting the
 * findings, shared by `lint` and `srcinfo`.
 *
 * @module
 */

import type { LintFinding, LintOptions } from "../../pkgbuild/mod.ts";
import type { Pkgbuild } from "../../pkgbuild/model.ts";
import { pkgbuildModule, requireExport } from "../library.ts";

type LintPkgbuild = (pkgbuild: Pkgbuild, options?: LintOptions) => LintFinding[];

/** Lints `pkgbuild` with the recipe directory's file list (for the install/changelog checks). */
export async function lintRecipe(
  pkgbuild: Pkgbuild,
  files: readonly string[],
  command: string,
): Promise<LintFinding[]> {
  const lint = requireExport<LintPkgbuild>(await pkgbuildModule(), "lintPkgbuild", command);
  // `srcinfo` is makepkg's --printsrcinfo, which ignores the architecture (IGNOREARCH).
  return lint(pkgbuild, { files: new Set(files), ignoreArch: command === "srcinfo" });
}

/** Formats findings one per line: `error: message [rule]`. */
export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.severity}: ${f.message} [${f.rule}]\n`).join("");
}
