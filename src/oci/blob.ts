/**
 * Blobs: upload (skipped when the registry has it; a monolithic `PUT` for
 * small blobs, chunked `PATCH`es otherwise, and after a failure the upload
 * resumes from the offset the registry reports, or starts again) and
 * download (the digest verified while it streams, a dropped connection
 * resumed with `Range`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { downloadVerified } from "../package/download.ts";
import { PackageCorruptError } from "../package/errors.ts";
import type { RegistryClient } from "./client.ts";
import { OciDigestMismatchError, OciNotFoundError, OciRegistryError } from "./errors.ts";

/** Upload tuning. */
export interface UploadOptions {
  /** Blobs up to this size go in one `PUT`. @default 8 MiB */
  readonly monolithicMax?: number;
  /** Chunk size of `PATCH` uploads. @default 8 MiB */
  readonly chunkSize?: number;
  /** Attempts per chunk (resuming from the registry's offset). @default 4 */
  readonly attempts?: number;
}

/** Whether the repository has blob `digest`. */
export async function hasBlob(client: RegistryClient, digest: string): Promise<boolean> {
  const res = await client.request({
    method: "HEAD",
    path: client.repoPath(`blobs/${digest}`),
    access: "push,pull",
    accept: [404],
  });
  await res.body?.cancel();
  return res.status === 200;
}

/** The absolute upload URL from a `Location` header. */
function locationOf(client: RegistryClient, res: Response): string {
  const loc = res.headers.get("location");
  if (!loc) throw new OciRegistryError(`Registry ${client.ref.registry} sent no upload location`);
  return new URL(loc, client.base).toString();
}

/** `url` with `key=value` added to its query. */
function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

/** Starts an upload session; resolves to its location. */
async function startUpload(client: RegistryClient): Promise<string> {
  const res = await client.request({
    method: "POST",
    path: client.repoPath("blobs/uploads/"),
    access: "push,pull",
  });
  await res.body?.cancel();
  return locationOf(client, res);
}

/**
 * Where an upload session stands (`GET` on it: `204`, `Range: 0-N` → offset
 * N+1, and a fresh `Location` carrying the session's new state), or null
 * when the registry no longer knows it.
 */
async function uploadStatus(
  client: RegistryClient,
  location: string,
): Promise<{ offset: number; location: string } | null> {
  const res = await client.request({ path: location, access: "push,pull", accept: [404] });
  await res.body?.cancel();
  if (res.status !== 204) return null;
  const m = /^0-(\d+)$/.exec(res.headers.get("range") ?? "");
  const next = res.headers.get("location") ? locationOf(client, res) : location;
  return { offset: m ? Number(m[1]) + 1 : 0, location: next };
}

/** Where a blob's bytes come from: in memory, or a file read chunk by chunk. */
export type BlobSource = Uint8Array<ArrayBuffer> | { readonly path: string; readonly size: number };

/** `length` bytes of `source` from `offset`. */
async function slice(
  source: BlobSource,
  offset: number,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (source instanceof Uint8Array) return source.slice(offset, offset + length);
  using f = await Deno.open(source.path, { read: true });
  await f.seek(offset, Deno.SeekMode.Start);
  const out = new Uint8Array(length);
  for (let got = 0; got < length;) {
    const n = await f.read(out.subarray(got));
    if (n === null) throw new OciRegistryError(`${source.path} shrank while it was uploaded`);
    got += n;
  }
  return out;
}

/** The size of a blob source. */
function sizeOf(source: BlobSource): number {
  return source instanceof Uint8Array ? source.length : source.size;
}

/** Uploads `source` as blob `digest` unless the registry has it; true when it uploaded. */
export async function pushBlob(
  client: RegistryClient,
  digest: string,
  source: BlobSource,
  options: UploadOptions = {},
): Promise<boolean> {
  if (await hasBlob(client, digest)) return false;
  const size = sizeOf(source);
  const monolithicMax = options.monolithicMax ?? 8 << 20;
  const attempts = options.attempts ?? 4;
  if (size <= monolithicMax) {
    const bytes = await slice(source, 0, size);
    for (let attempt = 1;; attempt++) {
      try {
        const location = await startUpload(client);
        const res = await client.request({
          method: "PUT",
          path: withQuery(location, "digest", digest),
          headers: { "content-type": "application/octet-stream" },
          body: bytes,
          access: "push,pull",
        });
        await res.body?.cancel();
        return true;
      } catch (error) {
        if (attempt >= attempts || !(error instanceof OciRegistryError)) throw error;
      }
    }
  }
  await pushChunked(client, digest, source, options.chunkSize ?? 8 << 20, attempts);
  return true;
}

/** A chunked upload: `PATCH` per chunk with `Content-Range`, resumed from the registry's offset. */
async function pushChunked(
  client: RegistryClient,
  digest: string,
  source: BlobSource,
  chunkSize: number,
  attempts: number,
): Promise<void> {
  let location = await startUpload(client);
  let offset = 0;
  let failures = 0;
  const size = sizeOf(source);
  while (offset < size) {
    const end = Math.min(size, offset + chunkSize);
    try {
      const res = await client.request({
        method: "PATCH",
        path: location,
        headers: {
          "content-type": "application/octet-stream",
          "content-range": `${offset}-${end - 1}`,
        },
        body: await slice(source, offset, end - offset),
        access: "push,pull",
      });
      await res.body?.cancel();
      location = locationOf(client, res);
      offset = end;
    } catch (error) {
      // A dropped answer: the chunk may have arrived, and a replayed PATCH with the old
      // session state is refused (404); ask the registry where the upload stands.
      const recoverable = error instanceof OciRegistryError || error instanceof OciNotFoundError;
      if (++failures >= attempts || !recoverable) throw error;
      const status = await uploadStatus(client, location).catch(() => null);
      if (status === null) {
        location = await startUpload(client);
        offset = 0;
      } else ({ offset, location } = status);
    }
  }
  const res = await client.request({
    method: "PUT",
    path: withQuery(location, "digest", digest),
    access: "push,pull",
  });
  await res.body?.cancel();
}

/** The `sha256:` digest of bytes. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * Downloads blob `digest` into `dest`, verifying it while it streams and
 * resuming with `Range` after a dropped connection; a mismatch removes the
 * file and throws {@link OciDigestMismatchError}.
 */
export async function pullBlob(
  client: RegistryClient,
  digest: string,
  dest: string,
  signal?: AbortSignal,
): Promise<{ size: number; requests: number }> {
  const path = client.repoPath(`blobs/${digest}`);
  // Establish authorization (and follow the registry's redirect) with a HEAD first.
  const head = await client.request({ method: "HEAD", path });
  await head.body?.cancel();
  const auth = client.authorizationFor("pull");
  try {
    const got = await downloadVerified(`${client.base}${path}`, dest, {
      sha256: digest.slice("sha256:".length),
      headers: auth ? { Authorization: auth } : {},
      ...(signal ? { signal } : {}),
    });
    return { size: got.size, requests: got.requests };
  } catch (error) {
    if (error instanceof PackageCorruptError) {
      throw new OciDigestMismatchError(
        `Blob ${digest} from ${client.ref.registry}`,
        digest,
        "other bytes",
      );
    }
    throw error;
  }
}
