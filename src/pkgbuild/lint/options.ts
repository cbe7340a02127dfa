/**
 * Lint rule `options` (libmakepkg `lint_pkgbuild/options.sh`): every options
 * entry is a known option or its negation (`!strip`).
 *
 * @module
 */

import { globalAndPackageValues } from "./_split_attributes.ts";
import type { LintRule } from "./types.ts";

/**
 * The options makepkg 6.0.2 knows: its `packaging_options` (tidy/) and
 * `build_options` (buildenv/).
 */
export const KNOWN_OPTIONS: readonly string[] = [
  "strip",
  "debug",
  "zipman",
  "staticlibs",
  "libtool",
  "docs",
  "purge",
  "emptydirs",
  "lto",
  "makeflags",
  "buildflags",
  "ccache",
  "distcc",
];

/** Checks every options entry, top-level and per package. */
export const lintOptions: LintRule = (pkgbuild) =>
  globalAndPackageValues(pkgbuild, "options").filter((option) =>
    !KNOWN_OPTIONS.includes(option.startsWith("!") ? option.slice(1) : option)
  ).map((option) => ({
    rule: "options",
    severity: "error",
    message: `options array contains unknown option '${option}'`,
    variable: "options",
  }));
