/**
 * Errors of preflight:
 *
 * | code               | exit code      | when                                                        |
 * | ------------------ | -------------- | ----------------------------------------------------------- |
 * | `PREFLIGHT_UNMET`  | `incompatible` | dependencies or hardware this machine lacks, all of them listed |
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";
import type { Unmet } from "./preflight.ts";

/** This machine lacks what the worker needs; nothing was fetched. */
export class PreflightUnmetError extends ProvisionerError {
  /** Every unmet requirement. */
  readonly unmet: readonly Unmet[];
  /** Creates the error naming every requirement and how to meet it. */
  constructor(id: string, unmet: readonly Unmet[]) {
    const list = unmet.map((u) => `${u.what} (${u.fix})`).join("; ");
    super(
      "PREFLIGHT_UNMET",
      ExitCode.incompatible,
      `${id} cannot be built here, ${unmet.length} requirement(s) unmet: ${list}`,
      {
        hint:
          "install what is missing; --nodeps skips the dependency check, --nocheck skips check() and its checkdepends",
      },
    );
    this.unmet = unmet;
  }
}
