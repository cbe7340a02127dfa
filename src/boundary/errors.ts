/**
 * Errors of the trust boundary, each with a stable `code` and an exit code:
 *
 * | code                | exit code                  | when                                                        |
 * | ------------------- | -------------------------- | ----------------------------------------------------------- |
 * | `WORKER_ID_INVALID` | `unsafeInput`              | a worker id, pkgbase or pkgname is not a safe file name     |
 * | `PATH_UNSAFE`       | `unsafeInput`              | a path would leave its root, or go through a planted symlink |
 * | `RECORD_INVALID`    | `stateDamaged`             | a record or journal fails its schema                        |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** Where a value came from, for messages. */
export type InputSource = "command line" | "catalog" | "recipe" | "record" | "state directory";

/** A worker id (or pkgbase, pkgname) is not a safe file name. */
export class UnsafeWorkerIdError extends ProvisionerError {
  /** The value refused. */
  readonly value: string;
  /** Creates the error for `value` (`what`: `worker id`, `pkgname`, ...) from `source`. */
  constructor(
    value: string,
    what: string,
    source: InputSource,
    reason: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "WORKER_ID_INVALID",
      ExitCode.unsafeInput,
      `Invalid ${what} ${JSON.stringify(value)} from the ${source}: ${reason}`,
      {
        hint:
          "a worker id uses only a-z A-Z 0-9 @ . _ + - and does not start with a hyphen or a dot",
        ...options,
      },
    );
    this.value = value;
  }
}

/** A path from outside would leave the directory it must stay in. */
export class UnsafePathError extends ProvisionerError {
  /** The path refused. */
  readonly path: string;
  /** Creates the error for `path` (as the input named it), from `source`. */
  constructor(path: string, source: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super("PATH_UNSAFE", ExitCode.unsafeInput, `Refused path ${path} from ${source}: ${reason}`, {
      hint: "nothing was written outside the root; fix the package or record that names this path",
      ...options,
    });
    this.path = path;
  }
}

/** A record or journal file fails its schema. */
export class RecordInvalidError extends ProvisionerError {
  /** The file. */
  readonly path: string;
  /** Creates the error for the file at `path`. */
  constructor(path: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super("RECORD_INVALID", ExitCode.stateDamaged, `Record ${path} is damaged: ${reason}`, {
      hint: "run `worker-provisioner doctor --repair` to move it aside, then reinstall the worker",
      ...options,
    });
    this.path = path;
  }
}
