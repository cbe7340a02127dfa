/**
 * The types every lint rule shares: a finding, the context a rule reads,
 * and the rule signature.
 *
 * @module
 */

import type { Pkgbuild } from "../model.ts";

/** A line of a package function that makepkg's override grep sees as an assignment. */
export interface FunctionAssignment {
  /** The variable name. */
  readonly name: string;
  /** True for `name+=...`. */
  readonly append: boolean;
  /** `array` for `name=(...)`, `string` for `name=value`, `empty` for `name=` (makepkg sees neither). */
  readonly form: "array" | "string" | "empty";
}

/** One problem a lint rule found. */
export interface LintFinding {
  /** The rule that found it, named like libmakepkg's file (`pkgname`, `arch_specific`, ...). */
  readonly rule: string;
  /** `error` when `makepkg --printsrcinfo` fails on it (exit 12), `warning` otherwise. */
  readonly severity: "error" | "warning";
  /** What is wrong, in makepkg's words (sentence case, no trailing period). */
  readonly message: string;
  /** The variable the finding is about, when there is one (`depends_x86_64`, `pkgver`, ...). */
  readonly variable?: string;
}

/** What a rule can read besides the {@link Pkgbuild}. */
export interface LintContext {
  /**
   * Paths (relative to the PKGBUILD's directory, `/`-separated) of the files
   * next to the PKGBUILD; `undefined` skips the install/changelog checks.
   */
  readonly files?: ReadonlySet<string>;
  /** Packages asked for (makepkg's `--pkg`); empty asks for all. */
  readonly pkglist: readonly string[];
  /** Skip the check that CARCH is in `arch` (makepkg's `IGNOREARCH`, on for `--printsrcinfo`). */
  readonly ignoreArch: boolean;
  /**
   * The assignments makepkg's `extract_function_variable` sees in the
   * function that builds package `pkgname` (`package_<pkgname>`, else `package`).
   */
  readonly functionAssignments: (pkgname: string) => readonly FunctionAssignment[];
}

/** A lint rule: a pure function from a PKGBUILD to its findings. */
export type LintRule = (pkgbuild: Pkgbuild, context: LintContext) => LintFinding[];
