/**
 * makepkg's `check_pgpsigs` over fetched sources: a source whose name ends
 * in `.sig`, `.sign` or `.asc` is the detached signature of the source
 * named without that extension (or of the data of that name compressed
 * with gz, bz2, xz, lrz, lzo, Z or zst, which is decompressed first); a git
 * source marked `?signed` has its tag or commit signature checked. A
 * signature passes when gpg's verdict is good (an expired signature or key
 * passes with a warning) and the signer's primary fingerprint is in
 * `validpgpkeys`; with no `validpgpkeys`, makepkg needs a key trusted in
 * gpg's web of trust, which this keyring does not model, so the signature
 * fails as untrusted. Every signature is checked, then all failures are
 * thrown together.
 *
 * @module
 */

import type { FetchedSource } from "../source/protocols/protocol.ts";
import { openDecompressed, openRaw } from "../source/extract/decompress.ts";
import type { PublicKey } from "./_openpgp.ts";
import { throwIfCancelled } from "../errors.ts";
import { type SignatureFailure, SignatureInvalidError } from "./errors.ts";
import { readSignedGitObject, signedGitTarget } from "./git_signed.ts";
import { isSignedSource, signedFileCandidates } from "./names.ts";
import {
  describeFailure,
  describeWarning,
  type SignatureVerdict,
  verifyDetached,
} from "./verify.ts";

/** Formats {@link openDecompressed} reads. */
const READABLE = new Set(["gzip", "bzip2", "xz", "zstd"]);

/** The outcome of one checked source. */
export interface SourceSignatureCheck {
  /** The signature file's name, or the git source's name. */
  readonly name: string;
  /** What was signed: the file name, or `<name> git repo`. */
  readonly subject: string;
  /** gpg's verdict. */
  readonly verdict: SignatureVerdict;
  /** Why it fails (`undefined` when it passes). */
  readonly failure?: string;
  /** makepkg's warning for a passing expired signature or key. */
  readonly warning?: string;
  /** Where the signed data was read: the source file, or the git mirror. */
  readonly signedPath?: string;
  /** The compression the signed file was read through, when it was. */
  readonly format?: string;
}

/** Options of {@link checkSourceSignatures}. */
export interface SourceSignatureOptions {
  /** The public keys to verify with (the provisioner's keyring). */
  readonly keys: readonly PublicKey[];
  /** The recipe's `validpgpkeys`. */
  readonly validpgpkeys: readonly string[];
  /** Cancels the check. */
  readonly signal?: AbortSignal;
  /** The time expiry is judged at. @default now */
  readonly now?: Date;
}

/**
 * Checks every signature among `fetched` (in source order) and returns each
 * outcome; throws {@link SignatureInvalidError} naming every failure.
 */
export async function checkSourceSignatures(
  fetched: readonly FetchedSource[],
  options: SourceSignatureOptions,
): Promise<SourceSignatureCheck[]> {
  const checks: SourceSignatureCheck[] = [];
  const failures: SignatureFailure[] = [];
  for (const item of fetched) {
    if (!isSignedSource(item.source)) continue;
    throwIfCancelled(options.signal, "Checking source signatures");
    const check = item.kind === "git"
      ? await checkGit(item, options)
      : await checkFile(item, fetched, options);
    checks.push(check);
    if (check.failure) failures.push({ subject: check.subject, cause: check.failure });
  }
  if (failures.length > 0) {
    throw new SignatureInvalidError(failures, { hint: hintFor(checks) });
  }
  return checks;
}

function hintFor(checks: readonly SourceSignatureCheck[]): string {
  const missing = checks.find((c) => c.verdict.status === "missingkey");
  if (missing) {
    const who = missing.verdict.issuer ?? "the signer's key";
    return `import the public key ${who} with \`worker-provisioner keys import FILE\` (e.g. from \`gpg --export --armor ${who}\`), or pass --skippgpcheck`;
  }
  return "check the source and its signature; --skippgpcheck skips the check, as makepkg's does";
}

/** Applies `validpgpkeys` to a verdict, as makepkg does after `parse_gpg_statusfile`. */
export function judgeVerdict(
  verdict: SignatureVerdict,
  validpgpkeys: readonly string[],
): { failure?: string; warning?: string } {
  if (!verdict.ok) return { failure: describeFailure(verdict) };
  const fpr = verdict.fingerprint ?? "";
  if (validpgpkeys.length === 0) {
    return { failure: `the public key ${fpr} is not trusted: the recipe lists no validpgpkeys` };
  }
  if (!validpgpkeys.includes(fpr)) return { failure: `invalid public key ${fpr}` };
  const warning = describeWarning(verdict);
  return warning ? { warning } : {};
}

async function checkFile(
  sig: FetchedSource,
  fetched: readonly FetchedSource[],
  options: SourceSignatureOptions,
): Promise<SourceSignatureCheck> {
  const subject = sig.name.slice(0, sig.name.lastIndexOf("."));
  const target = signedFileCandidates(sig.name)
    .map((c) => ({ ...c, file: fetched.find((f) => f.kind === "file" && f.name === c.name) }))
    .find((c) => c.file);
  const none: SignatureVerdict = { status: "error", ok: false };
  if (!target?.file) {
    return { name: sig.name, subject, verdict: none, failure: "SOURCE FILE NOT FOUND" };
  }
  if (target.format && !READABLE.has(target.format)) {
    return {
      name: sig.name,
      subject,
      verdict: none,
      failure: `cannot decompress ${target.name} to check its signature (${target.format})`,
    };
  }
  const signature = await Deno.readFile(sig.path);
  const source = target.format
    ? openDecompressed(target.file.path, target.format, options.signal)
    : openRaw(target.file.path);
  const verdict = await verifyDetached(
    streamOf(source.chunks),
    signature,
    options.keys,
    options.now,
  );
  await source.close();
  return {
    name: sig.name,
    subject,
    verdict,
    signedPath: target.file.path,
    ...(target.format ? { format: target.format } : {}),
    ...judgeVerdict(verdict, options.validpgpkeys),
  };
}

async function checkGit(
  repo: FetchedSource,
  options: SourceSignatureOptions,
): Promise<SourceSignatureCheck> {
  const subject = `${repo.name} git repo`;
  const signed = await readSignedGitObject(
    repo.path,
    signedGitTarget(repo.source.entry),
    options.signal,
  );
  if (!signed) {
    return {
      name: repo.name,
      subject,
      verdict: { status: "error", ok: false },
      failure: "SIGNATURE NOT FOUND",
    };
  }
  const verdict = await verifyDetached(signed.payload, signed.signature, options.keys, options.now);
  return {
    name: repo.name,
    subject,
    verdict,
    signedPath: repo.path,
    ...judgeVerdict(verdict, options.validpgpkeys),
  };
}

/** A byte stream of chunks that may be reused: each is copied. */
function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value.slice());
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
