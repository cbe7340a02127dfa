/**
 * Lint rule `epoch` (libmakepkg `lint_pkgbuild/epoch.sh`): epoch is empty or
 * a non-negative integer.
 *
 * @module
 */

import { valueAsString } from "../model.ts";
import type { LintFinding, LintRule } from "./types.ts";

/** makepkg's `check_epoch`: `type` names where the epoch came from (`depends`, ...). */
export function checkEpoch(rule: string, epoch: string, type = ""): LintFinding[] {
  if (/^[0-9]*$/.test(epoch)) return [];
  return [{
    rule,
    severity: "error",
    message: `${type ? `epoch in ${type}` : "epoch"} must be an integer, not ${epoch}`,
    variable: type || "epoch",
  }];
}

/** Checks the top-level epoch. */
export const lintEpoch: LintRule = (pkgbuild) =>
  checkEpoch("epoch", valueAsString(pkgbuild.variables.epoch));
