/**
 * Downloads a package (or any blob) to a file, verifying its sha256 while
 * it streams: a dropped connection resumes with a `Range` request from the
 * bytes already written (hashed already), up to `retries` times; a
 * finished download whose digest differs is removed and refused.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { ExitCode, ProvisionerError, throwIfCancelled } from "../errors.ts";
import { PackageCorruptError } from "./errors.ts";

/** Options of {@link downloadVerified}. */
export interface DownloadOptions {
  /** Extra request headers (authorization). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** The sha256 (hex) the bytes must have. @default not checked */
  readonly sha256?: string;
  /** Resumes after a dropped connection. @default 3 */
  readonly retries?: number;
  /** Cancels the download. */
  readonly signal?: AbortSignal;
  /** Called with the response of each request (status, to follow auth challenges). */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** The outcome of a download. */
export interface Downloaded {
  /** sha256 (hex) of the bytes. */
  readonly sha256: string;
  /** Bytes written. */
  readonly size: number;
  /** Requests made (1 without resumes). */
  readonly requests: number;
}

/** A download failed for good (an HTTP error, or the connection dropped more than `retries` times). */
export class PackageDownloadError extends ProvisionerError {
  /** The HTTP status, when there was one. */
  readonly status?: number;
  /** Creates the error. */
  constructor(message: string, status?: number, cause?: unknown) {
    super("PACKAGE_DOWNLOAD", ExitCode.downloadFailed, message, {
      hint: "check the URL and that the server is reachable, then run the command again",
      ...(cause !== undefined ? { cause } : {}),
    });
    if (status !== undefined) this.status = status;
  }
}

/** Streams `body` into `file`, hashing it and counting into `written.size` as it goes. */
async function pump(
  body: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
  hash: Hash,
  written: { size: number },
  signal?: AbortSignal,
): Promise<void> {
  for await (const chunk of body) {
    throwIfCancelled(signal, "Download");
    for (let at = 0; at < chunk.length;) at += await file.write(chunk.subarray(at));
    hash.update(chunk);
    written.size += chunk.length;
  }
}

/** Downloads `url` into `dest` (created new), verifying `options.sha256` while it streams. */
export async function downloadVerified(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<Downloaded> {
  const doFetch = options.fetch ?? ((u: string, init: RequestInit) => fetch(u, init));
  const hash = createHash("sha256");
  const retries = options.retries ?? 3;
  const written = { size: 0 };
  let requests = 0;
  using file = await Deno.open(dest, { write: true, createNew: true, mode: 0o644 });
  for (let attempt = 0;; attempt++) {
    throwIfCancelled(options.signal, "Download");
    const headers: Record<string, string> = { ...options.headers };
    const size = written.size;
    if (size > 0) headers.Range = `bytes=${size}-`;
    requests++;
    try {
      const res = await doFetch(url, {
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (size > 0 && res.status !== 206) {
        await res.body?.cancel();
        throw new PackageDownloadError(`${url} did not resume (HTTP ${res.status})`, res.status);
      }
      if (size === 0 && res.status !== 200) {
        await res.body?.cancel();
        throw new PackageDownloadError(`${url} answered HTTP ${res.status}`, res.status);
      }
      if (!res.body) throw new PackageDownloadError(`${url} sent no body`);
      await pump(res.body, file, hash, written, options.signal);
      break;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const final = error instanceof PackageDownloadError && error.status !== undefined;
      if (final) throw error;
      if (attempt >= retries) {
        throw new PackageDownloadError(
          `${url} failed after ${requests} request(s): ${(error as Error).message}`,
          undefined,
          error,
        );
      }
    }
  }
  await file.sync();
  const sha256 = hash.digest("hex");
  if (options.sha256 && options.sha256 !== sha256) {
    await Deno.remove(dest).catch(() => {});
    throw new PackageCorruptError(
      url,
      `expected sha256 ${options.sha256}, got ${sha256}; the download was discarded`,
    );
  }
  return { sha256, size: written.size, requests };
}
