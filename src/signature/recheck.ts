/**
 * `verify` for signatures: re-checks each signature a worker's record
 * keeps, against the keyring, when its data is still in the cache: the
 * signature must still pass and still be made by the recorded signer. A
 * source no longer cached is skipped, not failed (the cache may be cleaned
 * at any time).
 *
 * @module
 */

import type { RecordedSignature } from "../provision/record.ts";
import { openDecompressed, openRaw } from "../source/extract/decompress.ts";
import type { PublicKey } from "./_openpgp.ts";
import { throwIfCancelled } from "../errors.ts";
import { readSignedGitObject } from "./git_signed.ts";
import { loadKeyring } from "./keyring.ts";
import { describeFailure, type SignatureVerdict, verifyDetached } from "./verify.ts";

/** One recorded signature that no longer holds. */
export interface SignatureProblem {
  /** What was signed. */
  readonly subject: string;
  /** Why it fails now. */
  readonly reason: string;
}

/** The outcome of re-checking a record's signatures. */
export interface SignatureRecheck {
  /** Signatures re-checked. */
  readonly checked: number;
  /** Signatures whose data is no longer cached. */
  readonly skipped: number;
  /** Those that fail now. */
  readonly problems: readonly SignatureProblem[];
}

async function exists(path: string | undefined): Promise<boolean> {
  if (!path) return false;
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function recheckOne(
  s: RecordedSignature,
  keys: readonly PublicKey[],
  signal?: AbortSignal,
): Promise<SignatureVerdict | undefined> {
  if (s.git) {
    if (!await exists(s.signedPath)) return undefined;
    const signed = await readSignedGitObject(s.signedPath, s.git, signal);
    if (!signed) return { status: "error", ok: false, detail: "the signature is gone" };
    return await verifyDetached(signed.payload, signed.signature, keys);
  }
  if (!await exists(s.signaturePath) || !await exists(s.signedPath)) return undefined;
  const source = s.format
    ? openDecompressed(s.signedPath, s.format, signal)
    : openRaw(s.signedPath);
  const data = ReadableStream.from(copies(source.chunks));
  const verdict = await verifyDetached(data, await Deno.readFile(s.signaturePath!), keys);
  await source.close();
  return verdict;
}

async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) yield c.slice();
}

/** Re-checks `signatures` against the keyring in `keyringDir`. */
export async function recheckSignatures(
  signatures: readonly RecordedSignature[],
  keyringDir: string,
  signal?: AbortSignal,
): Promise<SignatureRecheck> {
  const keys = await loadKeyring(keyringDir);
  let checked = 0;
  let skipped = 0;
  const problems: SignatureProblem[] = [];
  for (const s of signatures) {
    throwIfCancelled(signal, "Re-checking signatures");
    const verdict = await recheckOne(s, keys, signal);
    if (!verdict) {
      skipped++;
      continue;
    }
    checked++;
    if (!verdict.ok) problems.push({ subject: s.subject, reason: describeFailure(verdict) });
    else if (verdict.fingerprint !== s.fingerprint) {
      problems.push({
        subject: s.subject,
        reason: `signed by ${verdict.fingerprint}, but the record says ${s.fingerprint}`,
      });
    }
  }
  return { checked, skipped, problems };
}
