/**
 * Verifies one OpenPGP detached signature in process, with gpg's verdicts as
 * makepkg's `parse_gpg_statusfile` reads them: `good`, `expired` (the
 * signature), `expiredkey`, `revokedkey`, `bad`, `missingkey`, `error`.
 * The first three pass (the last two with a warning); makepkg then checks
 * the signer's primary fingerprint against `validpgpkeys`
 * ({@link ./source.ts}).
 *
 * How each verdict is reached with OpenPGP.js (measured against gpg 2.2 on
 * keys made by gpg, see `tests/signature/verify_test.ts`): the signature is
 * checked cryptographically at its own creation time; a revoked primary key
 * or signing subkey is `revokedkey` whatever the time of the revocation
 * (gpg's REVKEYSIG); a key (or signing subkey) past its expiry now is
 * `expiredkey`; a signature past its own expiry now is `expired`.
 *
 * @module
 */

import { openpgp, type PublicKey, type Signature } from "./_openpgp.ts";

/** gpg's verdict on a signature, in makepkg's vocabulary. */
export type SignatureStatus =
  | "good"
  | "expired"
  | "expiredkey"
  | "revokedkey"
  | "bad"
  | "missingkey"
  | "error";

/** What a signature check found. */
export interface SignatureVerdict {
  /** The verdict. */
  readonly status: SignatureStatus;
  /** Whether the verdict passes (`good`, `expired`, `expiredkey`). */
  readonly ok: boolean;
  /** The signer's primary key fingerprint (upper-case hex), when the key is known. */
  readonly fingerprint?: string;
  /** The issuer the signature names: a fingerprint when it carries one, else a 16-digit key id. */
  readonly issuer?: string;
  /** The signer's primary user id, when the key is known. */
  readonly userId?: string;
  /** When the signature was made. */
  readonly created?: Date;
  /** Details for `bad` and `error` (OpenPGP.js's message). */
  readonly detail?: string;
}

/** The statuses that pass. */
export const PASSING_STATUSES: readonly SignatureStatus[] = ["good", "expired", "expiredkey"];

/** Reads a detached signature, armored (`.asc`) or binary (`.sig`); `undefined` when it is neither. */
export async function readDetachedSignature(bytes: Uint8Array): Promise<Signature | undefined> {
  try {
    const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
    return head.startsWith("-----BEGIN PGP")
      ? await openpgp.readSignature({ armoredSignature: new TextDecoder().decode(bytes) })
      : await openpgp.readSignature({ binarySignature: bytes });
  } catch {
    return undefined;
  }
}

/** Upper-case hex of bytes. */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

/** The issuer of the first signature packet: its fingerprint subpacket, else its key id. */
function issuerOf(signature: Signature): string | undefined {
  const packet = signature.packets[0];
  if (!packet) return undefined;
  if (packet.issuerFingerprint?.length) return hex(packet.issuerFingerprint);
  return packet.issuerKeyID?.toHex().toUpperCase();
}

/** The key of `keys` that holds the key (primary or subkey) that made `signature`. */
function signerKeyOf(signature: Signature, keys: readonly PublicKey[]): PublicKey | undefined {
  const id = signature.packets[0]?.issuerKeyID;
  if (!id) return undefined;
  return keys.find((k) => k.getKeys(id).length > 0);
}

/**
 * Verifies `signature` over `data` (bytes or a stream, read once) against
 * `keys`; `now` is the time expiry is judged at.
 */
export async function verifyDetached(
  data: Uint8Array | ReadableStream<Uint8Array>,
  signatureBytes: Uint8Array,
  keys: readonly PublicKey[],
  now: Date = new Date(),
): Promise<SignatureVerdict> {
  const signature = await readDetachedSignature(signatureBytes);
  if (!signature || signature.packets.length === 0) {
    await drain(data);
    return verdict("error", { detail: "not an OpenPGP signature" });
  }
  const issuer = issuerOf(signature);
  const packet = signature.packets[0];
  const created = packet.created ?? undefined;
  const key = signerKeyOf(signature, keys);
  if (!key) {
    await drain(data);
    return verdict("missingkey", { ...(issuer ? { issuer } : {}) });
  }
  const known = describeSigner(key, issuer, created);
  const cryptoCheck = await checkAt(data, signature, key, created ?? now);
  if (cryptoCheck === "revoked" || await isSignerRevoked(key, signature)) {
    return verdict("revokedkey", known);
  }
  if (cryptoCheck !== "ok") return verdict("bad", { ...known, detail: cryptoCheck });
  if (packet.isExpired(now)) return verdict("expired", known);
  if (await isSignerExpired(key, signature, now)) return verdict("expiredkey", known);
  return verdict("good", known);
}

function verdict(
  status: SignatureStatus,
  fields: Omit<SignatureVerdict, "status" | "ok">,
): SignatureVerdict {
  return { status, ok: PASSING_STATUSES.includes(status), ...fields };
}

function describeSigner(
  key: PublicKey,
  issuer: string | undefined,
  created: Date | undefined,
): Omit<SignatureVerdict, "status" | "ok"> {
  const userId = key.getUserIDs()[0];
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    ...(issuer ? { issuer } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(created ? { created } : {}),
  };
}

/** Verifies at `date`: `ok`, `revoked`, or OpenPGP.js's reason. */
async function checkAt(
  data: Uint8Array | ReadableStream<Uint8Array>,
  signature: Signature,
  key: PublicKey,
  date: Date,
): Promise<string> {
  const message = await openpgp.createMessage({ binary: data });
  const result = await openpgp.verify({
    message,
    signature,
    verificationKeys: [key],
    date,
    format: "binary",
  });
  await drain(result.data as Uint8Array | ReadableStream<Uint8Array>);
  try {
    await result.signatures[0].verified;
    return "ok";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return /revoked/i.test(message) ? "revoked" : message;
  }
}

/** Reads a stream to its end (bytes need nothing). */
async function drain(data: Uint8Array | ReadableStream<Uint8Array>): Promise<void> {
  if (data instanceof Uint8Array) return;
  const reader = data.getReader();
  while (!(await reader.read()).done) { /* discard */ }
}

/** Whether the primary key, or the subkey that signed, carries a revocation (at any time, as gpg). */
async function isSignerRevoked(key: PublicKey, signature: Signature): Promise<boolean> {
  const far = new Date(8.64e15);
  if (await key.isRevoked(undefined, undefined, far)) return true;
  const id = signature.packets[0]?.issuerKeyID;
  for (const subkey of key.getSubkeys()) {
    if (
      id && subkey.getKeyID().equals(id) &&
      await subkey.isRevoked(undefined as never, undefined as never, far)
    ) {
      return true;
    }
  }
  return false;
}

/** Whether the primary key, or the subkey that signed, has expired by `now`. */
async function isSignerExpired(key: PublicKey, signature: Signature, now: Date): Promise<boolean> {
  const expiry = await key.getExpirationTime();
  if (expiry instanceof Date && expiry <= now) return true;
  const id = signature.packets[0]?.issuerKeyID;
  for (const subkey of key.getSubkeys()) {
    if (!id || !subkey.getKeyID().equals(id)) continue;
    const sub = await subkey.getExpirationTime();
    if (sub instanceof Date && sub <= now) return true;
  }
  return false;
}

/** makepkg's wording of a failed verdict (`unknown public key X`, `bad signature from public key X`, ...). */
export function describeFailure(v: SignatureVerdict): string {
  const who = v.fingerprint ?? v.issuer ?? "(unknown)";
  switch (v.status) {
    case "missingkey":
      return `unknown public key ${who}`;
    case "revokedkey":
      return `public key ${who} has been revoked`;
    case "bad":
      return `bad signature from public key ${who}`;
    default:
      return `error during signature verification${v.detail ? `: ${v.detail}` : ""}`;
  }
}

/** makepkg's warning for a passing verdict, or `undefined` for `good`. */
export function describeWarning(v: SignatureVerdict): string | undefined {
  if (v.status === "expired") return "the signature has expired";
  if (v.status === "expiredkey") return "the key has expired";
  return undefined;
}
