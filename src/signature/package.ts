/**
 * Signed worker packages (and any other file): an OpenPGP detached
 * signature, binary, next to the file as `<file>.sig`, exactly what pacman
 * writes for a package and verifies with `pacman-key`/gpg, so a package
 * signed here verifies with `gpg --verify pkg.sig pkg` and with pacman's
 * tooling, and one keyring serves both source and package checks (minisign
 * would add a second key format and a second trust store for the same job).
 * `signFile` and `verifyFileSignature` stream the file: a package of any
 * size is read once.
 *
 * @module
 */

import { openpgp, type PrivateKey, type PublicKey } from "./_openpgp.ts";
import { KeyInvalidError, KeyNotFoundError } from "./errors.ts";
import { descriptorOf } from "./oci.ts";
import {
  describeFailure,
  describeWarning,
  type SignatureVerdict,
  verifyDetached,
} from "./verify.ts";

/** The extension of a detached signature next to its file (pacman's). */
export const SIGNATURE_SUFFIX = ".sig";

/**
 * Reads the secret key to sign with from `bytes` (armored or binary); a
 * protected key is decrypted with `passphrase`.
 *
 * @throws {KeyNotFoundError} when the file holds no secret key.
 * @throws {KeyInvalidError} when it is not a key or the passphrase is wrong.
 */
export async function readSigningKey(
  bytes: Uint8Array,
  file: string,
  passphrase?: string,
): Promise<PrivateKey> {
  const armored = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().startsWith(
    "-----BEGIN",
  );
  let keys: PrivateKey[];
  try {
    keys = armored
      ? await openpgp.readPrivateKeys({ armoredKeys: new TextDecoder().decode(bytes) })
      : await openpgp.readPrivateKeys({ binaryKeys: bytes });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/private key/i.test(message)) {
      throw new KeyNotFoundError(file, "holds no secret key", {
        hint: "export one with `gpg --export-secret-keys --armor FINGERPRINT > key.asc`",
      });
    }
    throw new KeyInvalidError(file, message.split("\n")[0], { cause: error });
  }
  const key = keys[0];
  if (key.isDecrypted()) return key;
  if (passphrase === undefined) {
    throw new KeyInvalidError(file, "the secret key is protected by a passphrase", {
      hint: "pass --passphrase-file FILE",
    });
  }
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (error) {
    throw new KeyInvalidError(file, "the passphrase does not unlock the secret key", {
      cause: error,
      hint: "check the passphrase file",
    });
  }
}

/** Streams a file's bytes. */
async function fileStream(path: string): Promise<ReadableStream<Uint8Array>> {
  return (await Deno.open(path, { read: true })).readable;
}

/** Signs the file at `path` with `key`: a binary OpenPGP detached signature (write it to `path + ".sig"`). */
export async function signFile(
  path: string,
  key: PrivateKey,
  date: Date = new Date(),
): Promise<Uint8Array> {
  return await signBytes(await fileStream(path), key, date);
}

/** Signs `data` (bytes or a stream) with `key`: a binary OpenPGP detached signature. */
export async function signBytes(
  data: Uint8Array | ReadableStream<Uint8Array>,
  key: PrivateKey,
  date: Date = new Date(),
): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: data });
  const out = await openpgp.sign({
    message,
    signingKeys: key,
    detached: true,
    format: "binary",
    date,
  }) as Uint8Array | ReadableStream<Uint8Array>;
  if (out instanceof Uint8Array) return out;
  const chunks = await Array.fromAsync(out);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

/** The outcome of checking a file's signature against trusted keys. */
export interface FileSignatureResult {
  /** Whether the signature verifies and was made by a trusted key. */
  readonly ok: boolean;
  /** gpg's verdict. */
  readonly verdict: SignatureVerdict;
  /** Why it fails, in makepkg's words (a key not trusted is an unknown key). */
  readonly failure?: string;
  /** The warning of a passing expired signature or key. */
  readonly warning?: string;
}

/**
 * Verifies `signature` over the file at `path` against `trustedKeys`: only
 * those keys are known, so a signature by any other key is refused as made
 * by an unknown key.
 */
export async function verifyFileSignature(
  path: string,
  signature: Uint8Array,
  trustedKeys: readonly PublicKey[],
  now: Date = new Date(),
): Promise<FileSignatureResult> {
  return judgeFileVerdict(
    await verifyDetached(await fileStream(path), signature, trustedKeys, now),
  );
}

/** Turns a verdict against trusted keys into a {@link FileSignatureResult}. */
export function judgeFileVerdict(verdict: SignatureVerdict): FileSignatureResult {
  if (!verdict.ok) {
    const failure = verdict.status === "missingkey"
      ? `signed by ${verdict.issuer ?? "an unknown key"}, which is not a trusted key`
      : describeFailure(verdict);
    return { ok: false, verdict, failure };
  }
  const warning = describeWarning(verdict);
  return { ok: true, verdict, ...(warning ? { warning } : {}) };
}

/**
 * Verifies the signature of an OCI package manifest: `manifest` must be the
 * exact bytes whose digest is `subjectDigest` (else it is refused as
 * tampered), then the signature over them is checked against `trustedKeys`.
 */
export async function verifyManifestSignature(
  manifest: Uint8Array,
  subjectDigest: string,
  signature: Uint8Array,
  trustedKeys: readonly PublicKey[],
  now: Date = new Date(),
): Promise<FileSignatureResult> {
  const actual = descriptorOf(manifest, "").digest;
  if (actual !== subjectDigest) {
    const verdict: SignatureVerdict = { status: "bad", ok: false };
    return {
      ok: false,
      verdict,
      failure: `the manifest's digest is ${actual}, not ${subjectDigest}`,
    };
  }
  return judgeFileVerdict(await verifyDetached(manifest, signature, trustedKeys, now));
}
