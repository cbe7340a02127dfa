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
}

/** A check run on every package before it is installed; throws a `ProvisionerError` to refuse it. */
export type PackageVerifier = (pkg: VerifiablePackage) => void | Promise<void>;

/** Runs every verifier in order; the first to throw stops the install. */
export async function verifyPackage(
  pkg: VerifiablePackage,
  verifiers: readonly PackageVerifier[],
): Promise<void> {
  for (const verify of verifiers) await verify(pkg);
}
