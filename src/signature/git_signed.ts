/**
 * `?signed` git sources, as makepkg's `verify_git_signature`: `#tag=` checks
 * the tag's signature, `#commit=`/`#branch=` (or none: `HEAD`) the commit's.
 * Instead of `git verify-tag --raw` (which runs gpg), the signed object is
 * read with `git cat-file` and split into payload and signature here, then
 * verified in process: a tag's signature is the armored block that ends the
 * tag message; a commit's is its `gpgsig` header, and the payload is the
 * commit without that header (what git hands gpg).
 *
 * @module
 */

import { runGit } from "../source/protocols/_git.ts";
import type { SourceEntry } from "../source/entry.ts";

/** A signed git object split for verification. */
export interface SignedPayload {
  /** The bytes that were signed. */
  readonly payload: Uint8Array;
  /** The armored signature. */
  readonly signature: Uint8Array;
}

const BEGIN = /^-----BEGIN (PGP|SSH) SIGNATURE-----$/m;

/** Splits a tag object (`git cat-file tag`) into payload and signature; `undefined` when unsigned. */
export function splitTagObject(text: string): SignedPayload | undefined {
  const match = BEGIN.exec(text);
  if (!match) return undefined;
  const encoder = new TextEncoder();
  return {
    payload: encoder.encode(text.slice(0, match.index)),
    signature: encoder.encode(text.slice(match.index)),
  };
}

/** Splits a commit object (`git cat-file commit`) into payload and signature; `undefined` when unsigned. */
export function splitCommitObject(text: string): SignedPayload | undefined {
  const end = text.indexOf("\n\n");
  const header = end >= 0 ? text.slice(0, end + 1) : text;
  const lines = header.split("\n");
  const kept: string[] = [];
  const signature: string[] = [];
  let inSig = false;
  for (const line of lines) {
    if (line.startsWith("gpgsig ")) {
      inSig = true;
      signature.push(line.slice("gpgsig ".length));
    } else if (inSig && line.startsWith(" ")) {
      signature.push(line.slice(1));
    } else {
      inSig = false;
      kept.push(line);
    }
  }
  if (signature.length === 0) return undefined;
  const encoder = new TextEncoder();
  const rest = end >= 0 ? text.slice(end + 1) : "";
  return {
    payload: encoder.encode(kept.join("\n") + rest),
    signature: encoder.encode(signature.join("\n") + "\n"),
  };
}

/** What makepkg's `verify_git_signature` checks for `entry`: a tag, or a commit-ish (`HEAD` by default). */
export function signedGitTarget(entry: SourceEntry): SignedGitTarget {
  if (entry.ref?.kind === "tag") return { kind: "tag", ref: entry.ref.value };
  return { kind: "commit", ref: entry.ref?.value ?? "HEAD" };
}

/** The git object a `?signed` source has checked. */
export interface SignedGitTarget {
  /** A tag, or a commit. */
  readonly kind: "tag" | "commit";
  /** The tag name, or a commit-ish (`HEAD`, a branch, a commit id). */
  readonly ref: string;
}

/**
 * Reads the signed object `target` from the git repository `repo` (the
 * cache mirror); `undefined` when it carries no signature (a lightweight
 * tag, an unsigned annotated tag, an unsigned commit).
 */
export async function readSignedGitObject(
  repo: string,
  target: SignedGitTarget,
  signal?: AbortSignal,
): Promise<SignedPayload | undefined> {
  const spec = target.kind === "tag" ? `refs/tags/${target.ref}` : `${target.ref}^{commit}`;
  const opts = { cwd: repo, ...(signal ? { signal } : {}) };
  const type = await runGit(["cat-file", "-t", spec], opts);
  if (!type.ok || type.stdout.trim() !== target.kind) return undefined;
  const object = await runGit(["cat-file", target.kind, spec], opts);
  if (!object.ok) return undefined;
  return target.kind === "tag" ? splitTagObject(object.stdout) : splitCommitObject(object.stdout);
}
