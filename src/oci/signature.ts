/**
 * Worker package signatures in a registry, the I/O around the pure shapes
 * of `src/signature/oci.ts`: {@link pushPackageSignature} uploads a
 * signature artifact whose `subject` is a package manifest (and, on a
 * registry without the distribution spec 1.1 referrers API, adds it to the
 * index at the fallback tag `sha256-<hex>`); {@link fetchPackageSignatures}
 * finds them again (the referrers API, else the fallback tag) and returns
 * the manifest's exact bytes with every signature blob, each checked
 * against its digest. Which signature is trusted is the signature module's
 * decision, not this one's.
 *
 * @module
 */

import {
  buildSignatureArtifact,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  parseSignatureArtifact,
  referrersFallbackTag,
  referrersIndexWith,
  referrersPath,
  signatureReferrers,
} from "../signature/oci.ts";
import type { RegistrySignatures } from "../package/verify.ts";
import { digestOf, pushBlob } from "./blob.ts";
import type { RegistryClient } from "./client.ts";
import { OciDigestMismatchError, OciNotFoundError } from "./errors.ts";
import { clientFor, type RegistryOptions } from "./package.ts";
import { parseOciReference } from "./reference.ts";

/** GETs `path` with `accept`; undefined on 404 (or any status of `absent`). */
async function getBytes(
  client: RegistryClient,
  path: string,
  accept: string,
  access: "pull" | "push,pull" = "pull",
  absent: readonly number[] = [404],
): Promise<Uint8Array | undefined> {
  const res = await client.request({ path, headers: { accept }, access, accept: absent });
  if (absent.includes(res.status)) return void await res.body?.cancel();
  return new Uint8Array(await res.arrayBuffer());
}

/** The manifest `digest` of the client's repository, its bytes checked against the digest. */
async function manifestBytes(client: RegistryClient, digest: string): Promise<Uint8Array> {
  const bytes = await getBytes(
    client,
    client.repoPath(`manifests/${digest}`),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  if (!bytes) throw new OciNotFoundError(`manifest ${digest} on ${client.ref.registry}`);
  const actual = digestOf(bytes);
  if (actual !== digest) {
    throw new OciDigestMismatchError(
      `Manifest ${digest} from ${client.ref.registry}`,
      digest,
      actual,
    );
  }
  return bytes;
}

/** PUTs a manifest's exact bytes under `reference`; returns the response headers. */
async function putManifestBytes(
  client: RegistryClient,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<Headers> {
  const res = await client.request({
    method: "PUT",
    path: client.repoPath(`manifests/${reference}`),
    headers: { "content-type": mediaType },
    body: bytes as Uint8Array<ArrayBuffer>,
    access: "push,pull",
  });
  await res.body?.cancel();
  return res.headers;
}

/** What {@link pushPackageSignature} wrote. */
export interface PushedSignature {
  /** The signature artifact manifest's digest. */
  readonly digest: string;
  /** The fallback tag updated, when the registry has no referrers API. */
  readonly fallbackTag?: string;
}

/**
 * Signs the package manifest `manifestDigest` of `target`'s repository with
 * `sign` (given the manifest's exact bytes) and pushes the signature
 * artifact referring to it.
 */
export async function pushPackageSignature(
  target: string,
  manifestDigest: string,
  sign: (manifest: Uint8Array) => Promise<{ signature: Uint8Array; fingerprint: string }>,
  options: RegistryOptions = {},
): Promise<PushedSignature> {
  const client = clientFor(parseOciReference(target, options.insecure), options);
  const manifest = await manifestBytes(client, manifestDigest);
  const { signature, fingerprint } = await sign(manifest);
  const subject = {
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    digest: manifestDigest,
    size: manifest.length,
  };
  const artifact = buildSignatureArtifact(subject, signature, { fingerprint });
  for (const blob of artifact.blobs) {
    await pushBlob(
      client,
      blob.descriptor.digest,
      blob.bytes as Uint8Array<ArrayBuffer>,
      options.upload,
    );
  }
  const headers = await putManifestBytes(
    client,
    artifact.descriptor.digest,
    artifact.manifest,
    OCI_MANIFEST_MEDIA_TYPE,
  );
  // a registry with the referrers API says so with OCI-Subject; any other needs the fallback tag
  if (headers.get("oci-subject") === manifestDigest) return { digest: artifact.descriptor.digest };
  const tag = referrersFallbackTag(manifestDigest);
  const existing = await getBytes(
    client,
    client.repoPath(`manifests/${tag}`),
    OCI_INDEX_MEDIA_TYPE,
    "push,pull",
  );
  const index = referrersIndexWith(existing, artifact.descriptor);
  await putManifestBytes(client, tag, index, OCI_INDEX_MEDIA_TYPE);
  return { digest: artifact.descriptor.digest, fallbackTag: tag };
}

/**
 * The signatures `source`'s repository holds for the package manifest
 * `manifestDigest`: the referrers API's answer, else the fallback tag's
 * index; none when neither lists one. Every manifest and blob fetched is
 * checked against its digest; a listed artifact that is not a signature of
 * this manifest is refused.
 *
 * @throws {SignatureArtifactInvalidError} for a malformed signature artifact.
 */
export async function fetchPackageSignatures(
  source: string,
  manifestDigest: string,
  options: RegistryOptions = {},
): Promise<RegistrySignatures> {
  const ref = parseOciReference(source, options.insecure);
  const client = clientFor(ref, options);
  const manifest = await manifestBytes(client, manifestDigest);
  // a registry without the referrers API answers 404, or 400/405 as an unknown route
  const index = await getBytes(
    client,
    referrersPath(ref.repository, manifestDigest),
    OCI_INDEX_MEDIA_TYPE,
    "pull",
    [400, 404, 405],
  ) ?? await getBytes(
    client,
    client.repoPath(`manifests/${referrersFallbackTag(manifestDigest)}`),
    OCI_INDEX_MEDIA_TYPE,
  );
  const signatures: Uint8Array[] = [];
  for (const referrer of index ? signatureReferrers(index) : []) {
    const artifact = parseSignatureArtifact(
      await manifestBytes(client, referrer.digest),
      manifestDigest,
    );
    const digest = artifact.signature.digest;
    const blob = await getBytes(client, client.repoPath(`blobs/${digest}`), "*/*");
    if (!blob) throw new OciNotFoundError(`signature blob ${digest} on ${ref.registry}`);
    const actual = digestOf(blob);
    if (actual !== digest) {
      throw new OciDigestMismatchError(`Signature blob from ${ref.registry}`, digest, actual);
    }
    signatures.push(blob);
  }
  return { reference: source, manifest, manifestDigest, signatures };
}
