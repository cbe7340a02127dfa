/**
 * The OCI shape of a worker package signature, as pure functions over the
 * manifest JSON (the registry I/O belongs to the OCI client): an artifact
 * manifest (OCI image spec 1.1) whose `subject` is the package manifest's
 * descriptor, so the distribution spec 1.1 referrers API
 * (`GET /v2/<name>/referrers/<digest>?artifactType=...`) lists it, or, on a
 * registry without that API, the fallback tag `sha256-<hex>` names an index
 * of the referrers. Its one layer is the binary OpenPGP detached signature
 * over the exact bytes of the package manifest, which pins every layer (the
 * package itself) by digest; its config is the empty descriptor the spec
 * prescribes for artifacts.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { SignatureArtifactInvalidError } from "./errors.ts";

export { SignatureArtifactInvalidError } from "./errors.ts";

/** The `artifactType` of a worker package signature. */
export const SIGNATURE_ARTIFACT_TYPE = "application/vnd.rbee.worker.signature.v1+pgp";
/** The media type of the signature layer (RFC 3156's). */
export const SIGNATURE_LAYER_MEDIA_TYPE = "application/pgp-signature";
/** The OCI image manifest media type. */
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
/** The OCI image index media type (the referrers API's answer). */
export const OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
/** Annotation carrying the signer's fingerprint, for listings (the signature itself is authoritative). */
export const FINGERPRINT_ANNOTATION = "vnd.rbee.worker.signature.fingerprint";
/** Annotation carrying when the artifact was made (OCI's standard one). */
export const CREATED_ANNOTATION = "org.opencontainers.image.created";

/** An OCI content descriptor. */
export interface OciDescriptor {
  /** The media type of the content. */
  readonly mediaType: string;
  /** `sha256:<hex>` of the content. */
  readonly digest: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The artifact type (referrers listings carry it). */
  readonly artifactType?: string;
  /** Inline content, base64 (the empty config carries it). */
  readonly data?: string;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The empty descriptor OCI 1.1 prescribes as an artifact's config: `{}`. */
export const EMPTY_CONFIG: OciDescriptor = {
  mediaType: "application/vnd.oci.empty.v1+json",
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  size: 2,
  data: "e30=",
};

/** The descriptor of `bytes` with `mediaType`. */
export function descriptorOf(bytes: Uint8Array, mediaType: string): OciDescriptor {
  return {
    mediaType,
    digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
    size: bytes.length,
  };
}

/** A signature artifact ready to push: its manifest and the one blob it needs. */
export interface SignatureArtifact {
  /** The manifest bytes to `PUT /v2/<name>/manifests/<digest>`. */
  readonly manifest: Uint8Array;
  /** The manifest's descriptor (with its artifactType, as a referrers index lists it). */
  readonly descriptor: OciDescriptor;
  /** The blobs to push first: the signature layer (the empty config is inline, but push it too for old registries). */
  readonly blobs: readonly { readonly descriptor: OciDescriptor; readonly bytes: Uint8Array }[];
}

/**
 * Builds the signature artifact for the package manifest `subject` from
 * `signature` (a detached signature over the subject manifest's bytes).
 */
export function buildSignatureArtifact(
  subject: OciDescriptor,
  signature: Uint8Array,
  info: { fingerprint: string; created?: Date },
): SignatureArtifact {
  const layer = descriptorOf(signature, SIGNATURE_LAYER_MEDIA_TYPE);
  const annotations = {
    [FINGERPRINT_ANNOTATION]: info.fingerprint,
    [CREATED_ANNOTATION]: (info.created ?? new Date()).toISOString(),
  };
  const manifestJson = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: SIGNATURE_ARTIFACT_TYPE,
    config: EMPTY_CONFIG,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const manifest = new TextEncoder().encode(JSON.stringify(manifestJson));
  return {
    manifest,
    descriptor: {
      ...descriptorOf(manifest, OCI_MANIFEST_MEDIA_TYPE),
      artifactType: SIGNATURE_ARTIFACT_TYPE,
      annotations,
    },
    blobs: [
      { descriptor: layer, bytes: signature },
      { descriptor: EMPTY_CONFIG, bytes: new TextEncoder().encode("{}") },
    ],
  };
}

/** A parsed signature artifact: where its signature blob is, and who it says signed. */
export interface ParsedSignatureArtifact {
  /** The signature layer's descriptor (fetch this blob and check its digest). */
  readonly signature: OciDescriptor;
  /** The subject it signs. */
  readonly subject: OciDescriptor;
  /** The fingerprint annotation, when present (informational). */
  readonly fingerprint?: string;
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const d = value as OciDescriptor | null;
  return !!d && typeof d.mediaType === "string" && typeof d.size === "number" &&
    typeof d.digest === "string" && /^sha256:[0-9a-f]{64}$/.test(d.digest);
}

/**
 * Parses a signature artifact manifest and checks that it signs
 * `subjectDigest`.
 *
 * @throws {SignatureArtifactInvalidError} for anything else.
 */
export function parseSignatureArtifact(
  manifest: Uint8Array,
  subjectDigest: string,
): ParsedSignatureArtifact {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(manifest));
  } catch {
    throw new SignatureArtifactInvalidError("not JSON");
  }
  if (json.mediaType !== OCI_MANIFEST_MEDIA_TYPE) {
    throw new SignatureArtifactInvalidError(`media type ${String(json.mediaType)}`);
  }
  if (json.artifactType !== SIGNATURE_ARTIFACT_TYPE) {
    throw new SignatureArtifactInvalidError(`artifact type ${String(json.artifactType)}`);
  }
  if (!isDescriptor(json.subject) || json.subject.digest !== subjectDigest) {
    throw new SignatureArtifactInvalidError(`it does not refer to ${subjectDigest}`);
  }
  const layers = Array.isArray(json.layers) ? json.layers : [];
  const layer = layers.find((l) => isDescriptor(l) && l.mediaType === SIGNATURE_LAYER_MEDIA_TYPE);
  if (!layer || layers.length !== 1) {
    throw new SignatureArtifactInvalidError(
      "it must hold exactly one application/pgp-signature layer",
    );
  }
  const annotations = (json.annotations ?? {}) as Record<string, unknown>;
  const fingerprint = annotations[FINGERPRINT_ANNOTATION];
  return {
    signature: layer,
    subject: json.subject,
    ...(typeof fingerprint === "string" ? { fingerprint } : {}),
  };
}

/** The signature artifacts a referrers index (the referrers API's answer, or the fallback tag's index) lists. */
export function signatureReferrers(index: Uint8Array): OciDescriptor[] {
  let json: { mediaType?: unknown; manifests?: unknown };
  try {
    json = JSON.parse(new TextDecoder().decode(index));
  } catch {
    return [];
  }
  if (json.mediaType !== OCI_INDEX_MEDIA_TYPE || !Array.isArray(json.manifests)) return [];
  return json.manifests.filter((m): m is OciDescriptor =>
    isDescriptor(m) && m.artifactType === SIGNATURE_ARTIFACT_TYPE
  );
}

/** The referrers API path for `digest` in repository `name`, filtered to signatures. */
export function referrersPath(name: string, digest: string): string {
  return `/v2/${name}/referrers/${digest}?artifactType=${
    encodeURIComponent(SIGNATURE_ARTIFACT_TYPE)
  }`;
}

/** The distribution spec's fallback tag for referrers of `digest` (`sha256-<hex>`). */
export function referrersFallbackTag(digest: string): string {
  return digest.replace(":", "-");
}

/**
 * The referrers index a registry without the referrers API keeps at the
 * fallback tag ({@link referrersFallbackTag}), with `descriptor` added:
 * `existing` is the index the tag holds (or `undefined`), an entry with the
 * same digest is replaced, every other entry is kept.
 */
export function referrersIndexWith(
  existing: Uint8Array | undefined,
  descriptor: OciDescriptor,
): Uint8Array {
  let manifests: unknown[] = [];
  if (existing) {
    try {
      const json = JSON.parse(new TextDecoder().decode(existing));
      if (json.mediaType === OCI_INDEX_MEDIA_TYPE && Array.isArray(json.manifests)) {
        manifests = json.manifests;
      }
    } catch { /* a broken index is replaced */ }
  }
  const kept = manifests.filter((m) => (m as OciDescriptor)?.digest !== descriptor.digest);
  return new TextEncoder().encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX_MEDIA_TYPE,
    manifests: [...kept, descriptor],
  }));
}
