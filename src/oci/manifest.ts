/**
 * Manifests and indexes (OCI distribution spec 1.1): a worker package is an
 * artifact, an image manifest whose `artifactType` names the package media
 * type, whose config is our package manifest (`.WORKER.json`) and whose one
 * layer is the `.pkg.tar.zst`. One tag per version is an image index with
 * one such manifest per architecture, each annotated with its platform and
 * package digest. Every manifest read is checked against its digest.
 *
 * @module
 */

import type { RegistryClient } from "./client.ts";
import { digestOf } from "./blob.ts";
import { OciDigestMismatchError, OciRegistryError } from "./errors.ts";

/** OCI image manifest media type. */
export const MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** OCI image index media type. */
export const MEDIA_INDEX = "application/vnd.oci.image.index.v1+json";
/** The artifact type of a worker package. */
export const ARTIFACT_TYPE = "application/vnd.rbee.worker.package.v1";
/** Media type of the config blob: our package manifest. */
export const MEDIA_CONFIG = "application/vnd.rbee.worker.manifest.v1+json";
/** Media type of the layer: the `.pkg.tar.zst`. */
export const MEDIA_PACKAGE = "application/vnd.rbee.worker.package.v1.tar+zstd";

/** Annotation keys on index entries and manifests. */
export const ANNOTATION = {
  id: "dev.rbee.worker.id",
  version: "dev.rbee.worker.version",
  arch: "dev.rbee.worker.arch",
  packageDigest: "dev.rbee.worker.package.digest",
  title: "org.opencontainers.image.title",
  created: "org.opencontainers.image.created",
} as const;

/** A content descriptor. */
export interface Descriptor {
  /** Media type. */
  readonly mediaType: string;
  /** `sha256:...`. */
  readonly digest: string;
  /** Size in bytes. */
  readonly size: number;
  /** Artifact type (index entries). */
  readonly artifactType?: string;
  /** Platform (index entries). */
  readonly platform?: { readonly architecture: string; readonly os: string };
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An image manifest. */
export interface ImageManifest {
  /** 2. */
  readonly schemaVersion: 2;
  /** {@link MEDIA_MANIFEST}. */
  readonly mediaType: string;
  /** {@link ARTIFACT_TYPE}. */
  readonly artifactType?: string;
  /** The config descriptor. */
  readonly config: Descriptor;
  /** The layers. */
  readonly layers: readonly Descriptor[];
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An image index. */
export interface ImageIndex {
  /** 2. */
  readonly schemaVersion: 2;
  /** {@link MEDIA_INDEX}. */
  readonly mediaType: string;
  /** The manifests. */
  readonly manifests: readonly Descriptor[];
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The OCI platform architecture of one of our arch names. */
export function ociArchitecture(arch: string): string {
  return arch === "x86_64" ? "amd64" : arch === "aarch64" ? "arm64" : arch;
}

/** Bytes of a JSON document as pushed (compact, stable key order as built). */
export function documentBytes(doc: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(doc));
}

/** Pushes a manifest or index under `reference` (a tag or its digest); resolves to its descriptor. */
export async function putManifest(
  client: RegistryClient,
  reference: string,
  doc: ImageManifest | ImageIndex,
): Promise<Descriptor> {
  const bytes = documentBytes(doc);
  const res = await client.request({
    method: "PUT",
    path: client.repoPath(`manifests/${reference}`),
    headers: { "content-type": doc.mediaType },
    body: bytes,
    access: "push,pull",
  });
  await res.body?.cancel();
  return { mediaType: doc.mediaType, digest: digestOf(bytes), size: bytes.length };
}

/** A manifest or index read from the registry, with its digest. */
export interface FetchedDocument {
  /** The media type. */
  readonly mediaType: string;
  /** Its digest (verified). */
  readonly digest: string;
  /** Its size. */
  readonly size: number;
  /** The parsed document. */
  readonly doc: ImageManifest | ImageIndex;
}

/**
 * Reads the manifest or index at `reference` (a tag or a digest), or null
 * when there is none; its bytes must match the digest asked for, or the
 * one the registry names (`Docker-Content-Digest`).
 */
export async function getManifest(
  client: RegistryClient,
  reference: string,
  access: "pull" | "push,pull" = "pull",
): Promise<FetchedDocument | null> {
  const res = await client.request({
    path: client.repoPath(`manifests/${reference}`),
    headers: { accept: `${MEDIA_INDEX}, ${MEDIA_MANIFEST}` },
    access,
    accept: [404],
  });
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = digestOf(bytes);
  const expected = reference.startsWith("sha256:")
    ? reference
    : res.headers.get("docker-content-digest") ?? digest;
  if (digest !== expected) {
    throw new OciDigestMismatchError(
      `Manifest ${reference} from ${client.ref.registry}`,
      expected,
      digest,
    );
  }
  let doc: ImageManifest | ImageIndex;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new OciRegistryError(`Manifest ${reference} from ${client.ref.registry} is not JSON`, {
      cause: error,
    });
  }
  const mediaType = doc.mediaType ?? res.headers.get("content-type") ?? "";
  return { mediaType, digest, size: bytes.length, doc };
}

/** `index` with `entry` replacing the entry of the same architecture (or added), sorted by arch. */
export function mergeIndex(index: ImageIndex | null, entry: Descriptor): ImageIndex {
  const arch = entry.annotations?.[ANNOTATION.arch];
  const kept = (index?.manifests ?? []).filter((m) => m.annotations?.[ANNOTATION.arch] !== arch);
  const manifests = [...kept, entry].sort((a, b) =>
    (a.annotations?.[ANNOTATION.arch] ?? "").localeCompare(b.annotations?.[ANNOTATION.arch] ?? "")
  );
  return {
    schemaVersion: 2,
    mediaType: MEDIA_INDEX,
    manifests,
    ...(index?.annotations ? { annotations: index.annotations } : {}),
  };
}
