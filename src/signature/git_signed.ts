/**
 * `?signed` git sources, as makepkg's `verify_git_signature`: `#tag=` checks
 * the tag's signature, `#commit=`/`#branch=` (or none: `HEAD`) the commit's.
 * Instead of `git verify-tag --raw` (which runs gpg), the signed object is
 * read with `git cat-file` and split into payload and signature here, then
 * verified in process: a tag's signature is the last armored block, which
 * ends the tag message; a commit's is its `gpgsig` header, and the payload is the
 * commit without that header (what git hands gpg).
 *
 * @module
 */

import type { SourceEntry } from "../source/entry.ts";
import { throwIfCancelled } from "../errors.ts";

/** A signed git object split for verification. */
export interface SignedPayload {
  /** The bytes that were signed. */
  readonly payload: Uint8Array;
  /** The armored signature. */
  readonly signature: Uint8Array;
}

const BEGIN = /^-----BEGIN (PGP|SSH) SIGNATURE-----$/gm;

/** Bytes as a string of one char per byte (so any encoding survives the split byte for byte). */
function toBinary(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

function fromBinary(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Splits a tag object (`git cat-file tag`) into payload and signature; `undefined` when unsigned. */
export function splitTagObject(object: Uint8Array | string): SignedPayload | undefined {
  const text = toBinary(object);
  const match = [...text.matchAll(BEGIN)].at(-1); // git signs the message, a quoted block included
  if (!match) return undefined;
  return {
    payload: fromBinary(text.slice(0, match.index)),
    signature: fromBinary(text.slice(match.index)),
  };
}

/** Splits a commit object (`git cat-file commit`) into payload and signature; `undefined` when unsigned. */
export function splitCommitObject(object: Uint8Array | string): SignedPayload | undefined {
  const text = toBinary(object);
  const end = text.indexOf("\n\n");
  const header = end >= 0 ? text.slice(0, end + 1) : text;
  const kept: string[] = [];
  const signature: string[] = [];
  let inSig = false;
  for (const line of header.split("\n")) {
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
  const rest = end >= 0 ? text.slice(end + 1) : "";
  return {
    payload: fromBinary(kept.join("\n") + rest),
    signature: fromBinary(signature.join("\n") + "\n"),
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
  const type = await gitBytes(repo, ["cat-file", "-t", spec], signal);
  if (!type || new TextDecoder().decode(type).trim() !== target.kind) return undefined;
  const object = await gitBytes(repo, ["cat-file", target.kind, spec], signal);
  if (!object) return undefined;
  return target.kind === "tag" ? splitTagObject(object) : splitCommitObject(object);
}

/** Runs git in `repo` and returns its stdout as bytes (objects need not be UTF-8), or `undefined` on failure. */
async function gitBytes(
  repo: string,
  args: string[],
  signal?: AbortSignal,
): Promise<Uint8Array | undefined> {
  throwIfCancelled(signal, `git ${args[0]}`);
  const command = new Deno.Command("git", {
    args,
    cwd: repo,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    env: { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
    ...(signal ? { signal } : {}),
  });
  const out = await command.output().catch((error) => {
    throwIfCancelled(signal, `git ${args[0]}`);
    throw error;
  });
  throwIfCancelled(signal, `git ${args[0]}`);
  return out.success ? out.stdout : undefined;
}
