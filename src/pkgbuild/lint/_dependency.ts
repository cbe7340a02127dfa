/**
 * The check shared by the dependency rules (`depends.sh`, `makedepends.sh`,
 * `checkdepends.sh`, `optdepends.sh`, `conflicts.sh`): each entry is
 * `name[<op>version]` with a valid package name and full version.
 *
 * @module
 */

import type { Pkgbuild } from "../model.ts";
import { checkFullpkgver } from "./fullpkgver.ts";
import { lintOnePkgname } from "./pkgname.ts";
import { allSplitAttributeValues } from "./_split_attributes.ts";
import type { LintFinding } from "./types.ts";

/** Splits `name<op>version` as makepkg does: the name ends at the first `<`, `>` or `=`. */
export function splitDependency(entry: string): { name: string; version?: string } {
  const at = entry.search(/[<>=]/);
  if (at === -1) return { name: entry };
  const name = entry.slice(0, at);
  const rest = entry.slice(at);
  const op = /^(>=|<=|<|>|=)/.exec(rest)![0];
  return { name, version: rest.slice(op.length) };
}

/** Lints one dependency array (`type`) across the whole PKGBUILD. */
export function lintDependencyArray(
  pkgbuild: Pkgbuild,
  type: string,
  options: { skipEmptyVersion?: boolean; entry?: (value: string) => string } = {},
): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const value of allSplitAttributeValues(pkgbuild, type)) {
    const entry = options.entry ? options.entry(value) : value;
    const { name, version } = splitDependency(entry);
    findings.push(...lintOnePkgname(type, type, name));
    if (version === undefined) continue;
    if (version === "" && options.skipEmptyVersion) continue;
    findings.push(...checkFullpkgver(type, version, type));
  }
  return findings;
}
