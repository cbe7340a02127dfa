/**
 * Worker packages in a registry: {@link pushPackage} uploads a
 * `.pkg.tar.zst` as an OCI artifact and adds it to the version's index (one
 * manifest per architecture); {@link pullPackage} picks the manifest of an
 * architecture from a tag or digest and downloads the package, every
 * manifest and blob checked against its digest.
 *
 * @module
 */

import { basename, join } from "node:path";
import { readPackageManifest, sha256OfFile } from "../package/read.ts";
import { manifestText } from "../package/manifest.ts";
import type { Credentials } from "./auth.ts";
import { digestOf, pullBlob, pushBlob, type UploadOptions } from "./blob.ts";
import { RegistryClient } from "./client.ts";
import {
  OciNoPlatformError,
  OciNotFoundError,
  OciReferenceError,
  OciRegistryError,
} from "./errors.ts";
import {
  ANNOTATION,
  ARTIFACT_TYPE,
  type Descriptor,
  getManifest,
  type ImageIndex,
  type ImageManifest,
  MEDIA_CONFIG,
  MEDIA_INDEX,
  MEDIA_MANIFEST,
  MEDIA_PACKAGE,
  mergeIndex,
  ociArchitecture,
  putManifest,
} from "./manifest.ts";
import { formatOciReference, parseOciReference, tagForVersion } from "./reference.ts";

/** How to reach registries. */
export interface RegistryOptions {
  /** Credentials by registry (`host[:port]`), or a function answering for one. @default anonymous */
  readonly credentials?: (registry: string) => Credentials | undefined;
  /** Registries spoken to over plain http besides loopback ones (`--insecure-registry`). @default [] */
  readonly insecure?: readonly string[];
  /** Upload tuning. @default {} */
  readonly upload?: UploadOptions;
  /** Cancels. */
  readonly signal?: AbortSignal;
}

/** What a push did. */
export interface PushedPackage {
  /** The tag written (`oci://host/repo:tag`). */
  readonly reference: string;
  /** The index's digest. */
  readonly indexDigest: string;
  /** The package manifest's digest (pull by this for exactly this package). */
  readonly manifestDigest: string;
  /** The package blob's digest. */
  readonly packageDigest: string;
  /** Whether the package blob was uploaded (false: the registry had it). */
  readonly uploaded: boolean;
}

/** A client for `ref` with the options' credentials. */
export function clientFor(ref: ReturnType<typeof parseOciReference>, options: RegistryOptions) {
  const credentials = options.credentials?.(ref.registry);
  return new RegistryClient(ref, {
    ...(credentials ? { credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Pushes the package at `path` to `target` (`oci://host/repo[:tag]`; the tag defaults to its version). */
export async function pushPackage(
  path: string,
  target: string,
  options: RegistryOptions = {},
): Promise<PushedPackage> {
  const ref = parseOciReference(target, options.insecure);
  if (ref.digest) throw new OciReferenceError(target, "push takes a tag, not a digest");
  const manifest = await readPackageManifest(path);
  const tag = ref.tag ?? tagForVersion(manifest.version);
  const client = clientFor(ref, options);
  const config = new TextEncoder().encode(manifestText(manifest));
  const configDigest = digestOf(config);
  const packageDigest = `sha256:${await sha256OfFile(path)}`;
  const size = (await Deno.stat(path)).size;
  await pushBlob(client, configDigest, config, options.upload);
  const uploaded = await pushBlob(client, packageDigest, { path, size }, options.upload);
  const annotations = {
    [ANNOTATION.id]: manifest.id,
    [ANNOTATION.version]: manifest.version,
    [ANNOTATION.arch]: manifest.arch,
    [ANNOTATION.packageDigest]: packageDigest,
  };
  const image: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_MANIFEST,
    artifactType: ARTIFACT_TYPE,
    config: { mediaType: MEDIA_CONFIG, digest: configDigest, size: config.length },
    layers: [{
      mediaType: MEDIA_PACKAGE,
      digest: packageDigest,
      size,
      annotations: { [ANNOTATION.title]: basename(path) },
    }],
    annotations,
  };
  const pushed = await putManifest(client, manifestDigestOf(image), image);
  const current = await getManifest(client, tag, "push,pull");
  const previous = current?.mediaType === MEDIA_INDEX ? current.doc as ImageIndex : null;
  const entry: Descriptor = {
    ...pushed,
    artifactType: ARTIFACT_TYPE,
    ...(manifest.arch !== "any"
      ? { platform: { architecture: ociArchitecture(manifest.arch), os: manifest.platform } }
      : {}),
    annotations,
  };
  const index = await putManifest(client, tag, mergeIndex(previous, entry));
  return {
    reference: formatOciReference({ ...ref, tag }),
    indexDigest: index.digest,
    manifestDigest: pushed.digest,
    packageDigest,
    uploaded,
  };
}

/** The digest an image manifest is pushed under (its own). */
function manifestDigestOf(image: ImageManifest): string {
  return digestOf(new TextEncoder().encode(JSON.stringify(image)));
}

/** What a pull fetched. */
export interface PulledPackage {
  /** The downloaded `.pkg.tar.zst`. */
  readonly path: string;
  /** Its sha256 (hex, verified). */
  readonly sha256: string;
  /** The package manifest's digest in the registry. */
  readonly manifestDigest: string;
  /** Requests the blob download took (1 without resumes). */
  readonly requests: number;
}

/** The index entry for `arch` (or an `any` package). */
function pickEntry(index: ImageIndex, arch: string, source: string): Descriptor {
  const archOf = (d: Descriptor) => d.annotations?.[ANNOTATION.arch];
  const entry = index.manifests.find((d) => archOf(d) === arch) ??
    index.manifests.find((d) => archOf(d) === "any") ??
    index.manifests.find((d) => !archOf(d) && d.platform?.architecture === ociArchitecture(arch));
  if (!entry) {
    throw new OciNoPlatformError(source, arch, index.manifests.map((d) => archOf(d) ?? "?"));
  }
  return entry;
}

/** Pulls the package of `arch` from `source` (`oci://host/repo:tag` or `@sha256:...`) into `destDir`. */
export async function pullPackage(
  source: string,
  arch: string,
  destDir: string,
  options: RegistryOptions = {},
): Promise<PulledPackage> {
  const ref = parseOciReference(source, options.insecure);
  const reference = ref.digest ?? ref.tag;
  if (!reference) throw new OciReferenceError(source, "name a tag (the version) or a digest");
  const client = clientFor(ref, options);
  let fetched = await getManifest(client, reference);
  if (!fetched) throw new OciNotFoundError(formatOciReference(ref));
  if (fetched.mediaType === MEDIA_INDEX) {
    const entry = pickEntry(fetched.doc as ImageIndex, arch, source);
    fetched = await getManifest(client, entry.digest);
    if (!fetched) throw new OciNotFoundError(`${entry.digest} of ${formatOciReference(ref)}`);
  }
  const image = fetched.doc as ImageManifest;
  const layer = image.layers?.find((l) => l.mediaType === MEDIA_PACKAGE);
  if (!layer) {
    throw new OciRegistryError(`${source} is not a worker package (no ${MEDIA_PACKAGE} layer)`);
  }
  const packArch = image.annotations?.[ANNOTATION.arch];
  if (packArch && packArch !== arch && packArch !== "any") {
    throw new OciNoPlatformError(source, arch, [packArch]);
  }
  const title = layer.annotations?.[ANNOTATION.title] ?? "";
  const name = /^[A-Za-z0-9._+-]+\.pkg\.tar\.zst$/.test(title)
    ? title
    : `${layer.digest.slice(7, 19)}.pkg.tar.zst`;
  await Deno.mkdir(destDir, { recursive: true });
  const path = join(destDir, name);
  const got = await pullBlob(client, layer.digest, path, options.signal);
  return {
    path,
    sha256: layer.digest.slice("sha256:".length),
    manifestDigest: fetched.digest,
    requests: got.requests,
  };
}
