/**
 * The seam where checks of a read package plug in before it is installed
 * (a signature check, a policy on worker ids or origins): each
 * {@link PackageVerifier} sees the verified file and its manifest and
 * throws to refuse it. The digests themselves are checked by `readPackage`.
 *
 * @module
 */

import type { PackageManifest } from "./manifest.ts";

/** A package about to be installed, its digests already verified. */
export interface VerifiablePackage {
  /** The `.pkg.tar.zst` file (local). */
  readonly path: string;
  /** Where it came from (a path, a URL, an `oci://` reference). */
  readonly origin: string;
  /** sha256 of the file. */
  readonly sha256: string;
  /** Its manifest. */
  readonly manifest: PackageManifest;
  /** The signatures its registry holds for it, when it was pulled from an OCI registry. */
  readonly registrySignatures?: RegistrySignatures;
}

/**
 * What an OCI registry holds to prove who made a package: the exact bytes of
 * the package's OCI manifest (which pins the package by digest) and every
 * detached signature a signature artifact referring to it carries.
 */
export interface RegistrySignatures {
  /** The `oci://` reference the package was pulled from. */
  readonly reference: string;
  /** The package manifest's bytes, as the registry serves them. */
  readonly manifest: Uint8Array;
  /** Their digest (`sha256:<hex>`). */
  readonly manifestDigest: string;
  /** The detached OpenPGP signatures over `manifest`, one per signature artifact. */
  readonly signatures: readonly Uint8Array[];
}

/** What a verifier learned about a package, for its record. */
export interface PackageVerdict {
  /** The fingerprint of the key whose signature was accepted. */
  readonly signer?: string;
}

/** A check run on every package before it is installed; throws a `ProvisionerError` to refuse it. */
export type PackageVerifier = (
  pkg: VerifiablePackage,
) => void | PackageVerdict | Promise<void | PackageVerdict>;

/** Runs every verifier in order; the first to throw stops the install. Returns what they learned, merged. */
export async function verifyPackage(
  pkg: VerifiablePackage,
  verifiers: readonly PackageVerifier[],
): Promise<PackageVerdict> {
  let verdict: PackageVerdict = {};
  for (const verify of verifiers) verdict = { ...verdict, ...(await verify(pkg) ?? {}) };
  return verdict;
}
