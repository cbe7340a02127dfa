/**
 * makepkg's PKGBUILD lint (libmakepkg `lint_pkgbuild/`), one pure rule per
 * file. {@link lintPkgbuild} runs them all: its errors are exactly the
 * problems that make `makepkg --printsrcinfo` exit 12.
 *
 * @example
 * ```ts
 * import { lintPkgbuild } from "@rbee/worker-provisioner";
 * declare const pkgbuild: import("@rbee/worker-provisioner").Pkgbuild;
 * for (const f of lintPkgbuild(pkgbuild)) console.log(`${f.severity}: ${f.message}`);
 * ```
 *
 * @module
 */

import type { Pkgbuild } from "../model.ts";
import { parseBash, topLevelFunctions } from "../../bash/mod.ts";
import { overrideLines } from "../_override_scan.ts";
import type { FunctionAssignment } from "./types.ts";
import { lintArch } from "./arch.ts";
import { lintArchSpecific } from "./arch_specific.ts";
import { lintBackup } from "./backup.ts";
import { lintChangelog } from "./changelog.ts";
import { lintCheckdepends } from "./checkdepends.ts";
import { lintConflicts } from "./conflicts.ts";
import { lintDepends } from "./depends.ts";
import { lintEpoch } from "./epoch.ts";
import { lintInstall } from "./install.ts";
import { lintMakedepends } from "./makedepends.ts";
import { lintOptdepends } from "./optdepends.ts";
import { lintOptions } from "./options.ts";
import { lintPackageFunction } from "./package_function.ts";
import { lintPackageFunctionVariable } from "./package_function_variable.ts";
import { lintPkgbase } from "./pkgbase.ts";
import { lintPkglist } from "./pkglist.ts";
import { lintPkgname } from "./pkgname.ts";
import { lintPkgrel } from "./pkgrel.ts";
import { lintPkgver } from "./pkgver.ts";
import { lintProvides } from "./provides.ts";
import { lintSource } from "./source.ts";
import { lintVariable } from "./variable.ts";
import type { LintContext, LintFinding, LintRule } from "./types.ts";

export type { FunctionAssignment, LintContext, LintFinding, LintRule } from "./types.ts";
export { KNOWN_OPTIONS } from "./options.ts";

/** Every rule, in libmakepkg's order (its files sorted by name). */
export const LINT_RULES: readonly LintRule[] = [
  lintArch,
  lintArchSpecific,
  lintBackup,
  lintChangelog,
  lintCheckdepends,
  lintConflicts,
  lintDepends,
  lintEpoch,
  lintInstall,
  lintMakedepends,
  lintOptdepends,
  lintOptions,
  lintPackageFunction,
  lintPackageFunctionVariable,
  lintPkgbase,
  lintPkglist,
  lintPkgname,
  lintPkgrel,
  lintPkgver,
  lintProvides,
  lintSource,
  lintVariable,
];

/** Options of {@link lintPkgbuild}. */
export interface LintOptions {
  /**
   * Files present next to the PKGBUILD (relative, `/`-separated), for the
   * install= and changelog= checks.
   * @default undefined (those checks are skipped)
   */
  readonly files?: ReadonlySet<string>;
  /**
   * Packages asked for, like makepkg's `--pkg`.
   * @default [] (all packages)
   */
  readonly pkglist?: readonly string[];
  /**
   * Skip the check that CARCH is in `arch`, as makepkg's `-A` and
   * `--printsrcinfo` do; a build (and `lint`) checks it.
   * @default false
   */
  readonly ignoreArch?: boolean;
}

/** Builds the {@link LintContext} the rules share for `pkgbuild`. */
export function lintContext(pkgbuild: Pkgbuild, options: LintOptions = {}): LintContext {
  const cache = new Map<string, readonly FunctionAssignment[]>();
  return {
    files: options.files,
    pkglist: options.pkglist ?? [],
    ignoreArch: options.ignoreArch ?? false,
    functionAssignments(pkgname: string): readonly FunctionAssignment[] {
      const fn = pkgbuild.functions[`package_${pkgname}`] ?? pkgbuild.functions.package;
      if (fn === undefined) return [];
      let found = cache.get(fn.name);
      if (found === undefined) {
        found = functionAssignments(fn.source);
        cache.set(fn.name, found);
      }
      return found;
    },
  };
}

/**
 * The assignments makepkg's `extract_function_variable` sees in a function
 * (`source` is its whole definition): the lines of its `declare -f` output
 * that start with `name=`, found by the one override scanner parse uses.
 */
export function functionAssignments(source: string): FunctionAssignment[] {
  let fns;
  try {
    fns = topLevelFunctions(parseBash(source));
  } catch {
    return [];
  }
  return fns.flatMap(overrideLines).map(({ name, append, form }) => ({ name, append, form }));
}

/**
 * Runs every makepkg lint rule on `pkgbuild`. The findings of severity
 * `error` are the problems that make `makepkg --printsrcinfo` exit 12.
 */
export function lintPkgbuild(pkgbuild: Pkgbuild, options: LintOptions = {}): LintFinding[] {
  const context = lintContext(pkgbuild, options);
  return LINT_RULES.flatMap((rule) => rule(pkgbuild, context));
}
