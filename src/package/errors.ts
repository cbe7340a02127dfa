/**
 * Errors of binary worker packages.
 *
 * | code                | exit code          | when                                                       |
 * | ------------------- | ------------------ | ---------------------------------------------------------- |
 * | `PACKAGE_CORRUPT`   | `checksumMismatch` | a package's bytes or files do not match their digests       |
 * | `PACKAGE_MALFORMED` | `extractFailed`    | not a worker package: bad archive, missing or invalid manifest |
 * | `PACKAGE_WRITE`     | `failure`          | the package could not be written (zstd missing or failing)  |
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";

/** A package, or a file in it, does not match its digest. */
export class PackageCorruptError extends ProvisionerError {
  /** Creates the error: `what` (a package or a path in it) and what differed. */
  constructor(what: string, detail: string) {
    super("PACKAGE_CORRUPT", ExitCode.checksumMismatch, `Package ${what} is corrupt: ${detail}`, {
      hint: "download or build the package again; nothing was installed",
    });
  }
}

/** Not a worker package we can read. */
export class PackageMalformedError extends ProvisionerError {
  /** Creates the error for `what` with the reason. */
  constructor(what: string, reason: string, cause?: unknown) {
    super("PACKAGE_MALFORMED", ExitCode.extractFailed, `Package ${what} is unusable: ${reason}`, {
      hint: "pass a .pkg.tar.zst written by `worker-provisioner build`",
      ...(cause !== undefined ? { cause } : {}),
    });
  }
}

/** Writing a package failed. */
export class PackageWriteError extends ProvisionerError {
  /** Creates the error for the package file `path`. */
  constructor(path: string, reason: string, cause?: unknown) {
    super("PACKAGE_WRITE", ExitCode.failure, `Package ${path} could not be written: ${reason}`, {
      hint: "install zstd (and allow it with --allow-run=zstd) and check the output directory",
      ...(cause !== undefined ? { cause } : {}),
    });
  }
}
