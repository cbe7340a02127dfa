/**
 * Errors the CLI itself raises, each with a stable code and an exit code from
 * {@link ExitCode}:
 *
 * | code                 | exit code          | when                                              |
 * | -------------------- | ------------------ | ------------------------------------------------- |
 * | `USAGE`              | `usage` (2)        | unknown command or flag, missing/extra argument   |
 * | `PERMISSION_MISSING` | `permissionDenied` | a Deno permission the command needs is not granted |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** A bad command line. */
export class UsageError extends ProvisionerError {
  /** Creates the error; `hint` usually names the `--help` to read. */
  constructor(message: string, options: ProvisionerErrorOptions = {}) {
    super("USAGE", ExitCode.usage, message, options);
  }
}

/** One or more Deno permissions the command needs are not granted. */
export class PermissionMissingError extends ProvisionerError {
  /** The flags to add, e.g. `--allow-read=/var/cache/worker-provisioner`. */
  readonly flags: readonly string[];
  /** Creates the error naming every flag to add, on one line. */
  constructor(flags: readonly string[], options: ProvisionerErrorOptions = {}) {
    super(
      "PERMISSION_MISSING",
      ExitCode.permissionDenied,
      `Missing Deno permission: run again with ${flags.join(" ")}`,
      options,
    );
    this.flags = flags;
  }
}
