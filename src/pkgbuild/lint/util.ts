/**
 * `check_files_exist` (libmakepkg `lint_pkgbuild/util.sh`): the files named
 * by install= and changelog= exist next to the PKGBUILD.
 *
 * @module
 */

import type { LintContext, LintFinding } from "./types.ts";

/** `./a//b` -> `a/b`: how a path relative to the PKGBUILD's directory is looked up in `files`. */
function normalizeRelative(path: string): string {
  return path.split("/").filter((part) => part !== "" && part !== ".").join("/");
}

/** Reports each non-empty name in `names` that is not in `context.files` (skipped when that is unset). */
export function checkFilesExist(
  rule: string,
  kind: string,
  names: readonly string[],
  context: LintContext,
): LintFinding[] {
  const files = context.files;
  if (files === undefined) return [];
  return names.filter((name) =>
    name !== "" && !files.has(name) && !files.has(normalizeRelative(name))
  ).map((name) => ({
    rule,
    severity: "error",
    message: `${kind} file (${name}) does not exist or is not a regular file`,
    variable: kind,
  }));
}
