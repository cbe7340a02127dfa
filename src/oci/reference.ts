/**
 * `oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]` references: parsed
 * once, with the scheme the registry is spoken to (plain http only for
 * loopback hosts and those named insecure).
 *
 * @module
 */

import { OciReferenceError } from "./errors.ts";

/** A parsed reference. */
export interface OciReference {
  /** `host[:port]` as written. */
  readonly registry: string;
  /** The repository path (`rbee/llm-worker-rbee-cpu`). */
  readonly repository: string;
  /** The tag, when given. */
  readonly tag?: string;
  /** The digest (`sha256:...`), when given. */
  readonly digest?: string;
  /** `http:` or `https:`. */
  readonly scheme: "http:" | "https:";
}

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Whether `registry` (`host[:port]`) is loopback. */
export function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** Whether `ref` is an `oci://` reference. */
export function isOciRef(ref: string): boolean {
  return ref.startsWith("oci://");
}

/** Parses `ref`; `insecure` lists registries spoken to over plain http besides loopback ones. */
export function parseOciReference(ref: string, insecure: readonly string[] = []): OciReference {
  if (!isOciRef(ref)) throw new OciReferenceError(ref, "it does not start with oci://");
  const rest = ref.slice("oci://".length);
  const slash = rest.indexOf("/");
  if (slash <= 0) throw new OciReferenceError(ref, "it names no repository");
  const registry = rest.slice(0, slash);
  let path = rest.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = path.indexOf("@");
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw new OciReferenceError(ref, `${digest} is not a sha256 digest`);
  }
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new OciReferenceError(ref, `${tag} is not a valid tag`);
  }
  if (!REPO.test(path)) throw new OciReferenceError(ref, `${path} is not a valid repository name`);
  const scheme = isLoopback(registry) || insecure.includes(registry) ? "http:" : "https:";
  return {
    registry,
    repository: path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    scheme,
  };
}

/** A version as a tag: characters a tag may not hold become `_` (`1:2.0-1` → `1_2.0-1`). */
export function tagForVersion(version: string): string {
  return version.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[.-]/, "_").slice(0, 128);
}

/** The reference written back (`oci://host/repo:tag` or `@digest`). */
export function formatOciReference(ref: OciReference): string {
  return `oci://${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${
    ref.digest ? `@${ref.digest}` : ""
  }`;
}
