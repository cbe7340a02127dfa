/**
 * Errors of the signature stage, each with a stable `code` and an exit code
 * from {@link ExitCode}. A signature that does not verify is an integrity
 * failure, as a checksum mismatch is: exit 5.
 *
 * | code                     | exit code          | when                                                  |
 * | ------------------------ | ------------------ | ----------------------------------------------------- |
 * | `SIGNATURE_INVALID`      | `checksumMismatch` | a source or file signature did not pass (the message names each cause) |
 * | `SIGNATURE_REQUIRED`     | `checksumMismatch` | a file has no signature but the policy requires one   |
 * | `SIGNATURE_ARTIFACT_INVALID` | `checksumMismatch` | an OCI manifest is not a signature artifact of the expected package |
 * | `KEY_INVALID`            | `usage`            | a key file holds no usable OpenPGP key                |
 * | `KEY_NOT_FOUND`          | `notFound`         | `keys remove` or `sign --key` names no known key      |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** One signature that did not pass, with its cause in makepkg's words. */
export interface SignatureFailure {
  /** What was checked: the source file name, or `<name> git repo`. */
  readonly subject: string;
  /** The cause, e.g. `unknown public key 0123...`, `bad signature from public key ...`. */
  readonly cause: string;
}

/** One or more signatures did not pass (makepkg: "One or more PGP signatures could not be verified!"). */
export class SignatureInvalidError extends ProvisionerError {
  /** Every failure, in source order. */
  readonly failures: readonly SignatureFailure[];
  /** Creates the error listing every failure; `hint` says how to fix the first kind. */
  constructor(
    failures: readonly SignatureFailure[],
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "SIGNATURE_INVALID",
      ExitCode.checksumMismatch,
      `PGP signature check failed: ${failures.map((f) => `${f.subject}: ${f.cause}`).join("; ")}`,
      options,
    );
    this.failures = failures;
  }
}

/** The signature policy requires a signature and the file has none. */
export class SignatureRequiredError extends ProvisionerError {
  /** Creates the error for `file`. */
  constructor(file: string, options: ProvisionerErrorOptions = {}) {
    super("SIGNATURE_REQUIRED", ExitCode.checksumMismatch, `${file} is not signed`, {
      hint: "ask its publisher for the signature, or pass --allow-unsigned if you trust its origin",
      ...options,
    });
  }
}

/** A key file holds no usable OpenPGP key. */
export class KeyInvalidError extends ProvisionerError {
  /** Creates the error for the key file `file`. */
  constructor(file: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super("KEY_INVALID", ExitCode.usage, `${file} is not an OpenPGP key: ${reason}`, {
      hint: "export it with `gpg --export --armor FINGERPRINT > key.asc`",
      ...options,
    });
  }
}

/** A fingerprint names no key of the keyring, or a key file no secret key. */
export class KeyNotFoundError extends ProvisionerError {
  /** Creates the error for `what` (a fingerprint or a file). */
  constructor(what: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super("KEY_NOT_FOUND", ExitCode.notFound, `${what}: ${reason}`, options);
  }
}

/** An OCI manifest is not a worker signature artifact for the expected subject. */
export class SignatureArtifactInvalidError extends ProvisionerError {
  /** Creates the error with its reason. */
  constructor(reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "SIGNATURE_ARTIFACT_INVALID",
      ExitCode.checksumMismatch,
      `Invalid worker signature artifact: ${reason}`,
      options,
    );
  }
}
