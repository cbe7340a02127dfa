/**
 * The signature check of `install` for worker packages, as a
 * {@link PackageVerifier}: it runs after the package was read and verified
 * against its manifest and before anything is written. Where the signature
 * is: `<file>.sig` beside a local package, `<url>.sig` for a URL, and for a
 * package pulled from a registry the signature artifacts referring to its
 * OCI manifest (which pins the package by digest). The node's policy
 * ({@link signaturePolicy}: `STATE/trust.json`, `--trusted-key`,
 * `--require-signature`, `--allow-unsigned`) decides; the accepted signer's
 * fingerprint is returned for the record. OpenPGP.js is loaded only when
 * there is a signature to check: an unsigned package on a node that trusts
 * no key costs a file or HTTP lookup, nothing more.
 *
 * @module
 */

import type { PublicKey } from "./_openpgp.ts";
import { keyringDir } from "./paths.ts";
import { SignatureInvalidError } from "./errors.ts";
import {
  decideSignature,
  readTrustConfig,
  type SignatureDecision,
  type SignaturePolicy,
  signaturePolicy,
} from "./trust.ts";
import type { PackageVerifier, RegistrySignatures, VerifiablePackage } from "../package/verify.ts";

/** Options of {@link packageSignatureVerifier}. */
export interface PackageSignatureOptions {
  /** The state directory holding `trust.json` and the keyring `keys/`. */
  readonly stateDir: string;
  /** Keys trusted for this run only (`--trusted-key FILE`). @default [] */
  readonly trustedKeys?: readonly PublicKey[];
  /** `--require-signature`. @default false */
  readonly requireSignature?: boolean;
  /** `--allow-unsigned`. @default false */
  readonly allowUnsigned?: boolean;
  /** The catalog the package comes from, for the keys pinned to it. */
  readonly catalog?: string;
  /** Told the warning of an accepted signature made by an expired key or expired since. */
  readonly onWarning?: (message: string) => void;
}

const fingerprintOf = (key: PublicKey) => key.getFingerprint().toUpperCase();

/**
 * A verifier applying the node's signature policy to every package: an
 * unsigned package is refused when a signature is required, a signature
 * that does not verify with a trusted key is refused always.
 *
 * @throws {SignatureRequiredError} from the verifier, for an unsigned package that must be signed.
 * @throws {SignatureInvalidError} from the verifier, for a bad or untrusted signature.
 */
export function packageSignatureVerifier(options: PackageSignatureOptions): PackageVerifier {
  return async (pkg) => {
    const extra = options.trustedKeys ?? [];
    const policy = signaturePolicy(await readTrustConfig(options.stateDir), {
      ...(options.catalog ? { catalog: options.catalog } : {}),
      extraKeys: extra.map(fingerprintOf),
      requireSignature: options.requireSignature ?? false,
      allowUnsigned: options.allowUnsigned ?? false,
    });
    const trusted = async () => {
      const { loadKeyring } = await import("./keyring.ts");
      const keyring = [...await loadKeyring(keyringDir(options.stateDir)), ...extra];
      return keyring.filter((k) => policy.trusted.includes(fingerprintOf(k)));
    };
    const decision = pkg.registrySignatures
      ? await decideRegistry(pkg, pkg.registrySignatures, policy, trusted)
      : await decideFile(pkg, policy, trusted);
    if (!decision.accepted) throw decision.error;
    if (decision.warning) {
      options.onWarning?.(
        `${pkg.registrySignatures?.reference ?? pkg.origin}: ${decision.warning}`,
      );
    }
    return decision.signer ? { signer: decision.signer } : {};
  };
}

/** Where the detached signature of a package file or URL is. */
export function signatureLocation(origin: string, path: string): string {
  if (!/^https?:\/\//.test(origin)) return `${path}.sig`;
  const url = new URL(origin);
  url.pathname += ".sig";
  return url.href;
}

/** The detached signature beside the package (`undefined` when there is none). */
async function readSignature(pkg: VerifiablePackage): Promise<Uint8Array | undefined> {
  const where = signatureLocation(pkg.origin, pkg.path);
  if (/^https?:\/\//.test(where)) {
    let res: Response;
    try {
      res = await fetch(where);
    } catch (error) {
      throw new SignatureInvalidError([{
        subject: pkg.origin,
        cause: `its signature ${where} could not be fetched: ${(error as Error).message}`,
      }], { hint: "check that the server is reachable and serves the .sig beside the package" });
    }
    if (res.status === 404 || res.status === 410) return void await res.body?.cancel();
    if (!res.ok) {
      await res.body?.cancel();
      throw new SignatureInvalidError([{
        subject: pkg.origin,
        cause: `its signature ${where} answered HTTP ${res.status}`,
      }], { hint: "check that the server serves the .sig beside the package" });
    }
    return new Uint8Array(await res.arrayBuffer());
  }
  try {
    return await Deno.readFile(where);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The trusted keys, loaded on demand. */
type TrustedKeys = () => Promise<readonly PublicKey[]>;

/** The decision on a package file or URL by its detached signature. */
async function decideFile(
  pkg: VerifiablePackage,
  policy: SignaturePolicy,
  trusted: TrustedKeys,
): Promise<SignatureDecision> {
  const signature = await readSignature(pkg);
  if (!signature) return decideSignature(pkg.origin, policy, undefined);
  const { verifyFileSignature } = await import("./package.ts");
  return decideSignature(
    pkg.origin,
    policy,
    await verifyFileSignature(pkg.path, signature, await trusted()),
  );
}

/**
 * The decision on a package pulled from a registry: its manifest must name
 * the package's digest, and one signature over the manifest must verify with
 * a trusted key; none at all is an unsigned package.
 */
async function decideRegistry(
  pkg: VerifiablePackage,
  found: RegistrySignatures,
  policy: SignaturePolicy,
  trusted: TrustedKeys,
): Promise<SignatureDecision> {
  const subject = `${found.reference} (manifest ${found.manifestDigest})`;
  if (!new TextDecoder().decode(found.manifest).includes(`"sha256:${pkg.sha256}"`)) {
    const cause = `its manifest does not name the package's digest sha256:${pkg.sha256}`;
    return {
      accepted: false,
      error: new SignatureInvalidError([{ subject, cause }], {
        hint: "the registry's copy is inconsistent: push the package again",
      }),
    };
  }
  if (found.signatures.length === 0) return decideSignature(subject, policy, undefined);
  const { verifyManifestSignature } = await import("./package.ts");
  const keys = await trusted();
  let refused: SignatureDecision | undefined;
  for (const signature of found.signatures) {
    const result = await verifyManifestSignature(
      found.manifest,
      found.manifestDigest,
      signature,
      keys,
    );
    const decision = decideSignature(subject, policy, result);
    if (decision.accepted) return decision;
    refused ??= decision;
  }
  return refused!;
}
