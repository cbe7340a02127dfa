/**
 * Lint rule `optdepends` (libmakepkg `lint_pkgbuild/optdepends.sh`): every
 * optdepends entry, without its `: description`, is `name[<op>version]`.
 *
 * @module
 */

import { lintDependencyArray } from "./_dependency.ts";
import type { LintRule } from "./types.ts";
import { BASH_SPACE_CLASS } from "../_bash_space.ts";

const COLON_SPACE = new RegExp(`:${BASH_SPACE_CLASS}`);

/** `${entry%%:[[:space:]]*}`: the entry up to its first colon followed by whitespace. */
function withoutDescription(entry: string): string {
  const m = COLON_SPACE.exec(entry);
  return m ? entry.slice(0, m.index) : entry;
}

/** Checks every optdepends entry. */
export const lintOptdepends: LintRule = (pkgbuild) =>
  lintDependencyArray(pkgbuild, "optdepends", { entry: withoutDescription });
