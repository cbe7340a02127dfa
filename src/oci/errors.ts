/**
 * Errors of the OCI registry client.
 *
 * | code                   | exit code          | when                                                    |
 * | ---------------------- | ------------------ | ------------------------------------------------------- |
 * | `OCI_REFERENCE`        | `usage`            | an `oci://` reference that does not parse               |
 * | `OCI_AUTH`             | `permissionDenied` | the registry refused the credentials (401/403)          |
 * | `OCI_NOT_FOUND`        | `notFound`         | no such repository, tag, manifest or blob               |
 * | `OCI_NO_PLATFORM`      | `incompatible`     | the tag's index has no package for this architecture    |
 * | `OCI_DIGEST_MISMATCH`  | `checksumMismatch` | a manifest or blob does not match its digest            |
 * | `OCI_REGISTRY`         | `downloadFailed`   | any other failure talking to the registry               |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** An `oci://` reference that does not parse. */
export class OciReferenceError extends ProvisionerError {
  /** Creates the error for `ref`. */
  constructor(ref: string, reason: string) {
    super("OCI_REFERENCE", ExitCode.usage, `OCI reference ${ref} is invalid: ${reason}`, {
      hint: "write it as oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]",
    });
  }
}

/** The registry refused our credentials. */
export class OciAuthError extends ProvisionerError {
  /** Creates the error for `host`. */
  constructor(host: string, detail: string) {
    super("OCI_AUTH", ExitCode.permissionDenied, `Registry ${host} refused access: ${detail}`, {
      hint:
        "pass --registry-auth USER:PASSWORD (or WORKER_PROVISIONER_REGISTRY_AUTH), or log in with docker login",
    });
  }
}

/** Something asked for is not in the registry. */
export class OciNotFoundError extends ProvisionerError {
  /** Creates the error for `what`. */
  constructor(what: string) {
    super("OCI_NOT_FOUND", ExitCode.notFound, `${what} is not in the registry`, {
      hint: "check the repository and tag, or push the package first",
    });
  }
}

/** The tag has no package for the architecture. */
export class OciNoPlatformError extends ProvisionerError {
  /** Creates the error for `ref` and `arch`, listing what is there. */
  constructor(ref: string, arch: string, available: readonly string[]) {
    super(
      "OCI_NO_PLATFORM",
      ExitCode.incompatible,
      `${ref} has no package for ${arch}; it has ${available.join(", ") || "none"}`,
      { hint: "push a package built for this architecture, or pass --arch" },
    );
  }
}

/** A manifest or blob does not match its digest. */
export class OciDigestMismatchError extends ProvisionerError {
  /** Creates the error for `what`. */
  constructor(what: string, expected: string, got: string) {
    super(
      "OCI_DIGEST_MISMATCH",
      ExitCode.checksumMismatch,
      `${what} does not match its digest: expected ${expected}, got ${got}`,
      { hint: "the registry's copy is corrupt; push the package again. Nothing was installed" },
    );
  }
}

/** Any other registry failure. */
export class OciRegistryError extends ProvisionerError {
  /** Creates the error. */
  constructor(message: string, options: ProvisionerErrorOptions = {}) {
    super("OCI_REGISTRY", ExitCode.downloadFailed, message, {
      hint: "check that the registry is reachable (--insecure-registry for plain http)",
      ...options,
    });
  }
}
