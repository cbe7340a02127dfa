/**
 * Hashing a file: the one loop that streams a file's bytes into a hash
 * (node:crypto's `Hash`, the source stage's `MultiHasher`), optionally
 * copying them on the way, for checksums of sources, records and verify.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { throwIfCancelled } from "./errors.ts";

/** What takes a file's bytes chunk by chunk: a hash. */
export interface ChunkHash {
  /** Adds `chunk` (valid only during the call). */
  update(chunk: Uint8Array): unknown;
}

/** Options of {@link hashFileInto}. */
export interface HashFileOptions {
  /** Checked before every read; the read stops with `CancelledError`. */
  readonly signal?: AbortSignal;
  /** A file every chunk is also written to (a copy made while hashing). */
  readonly copyTo?: Deno.FsFile;
}

const CHUNK_BYTES = 1 << 20;

/** Streams the file at `path` into `hash` (and `copyTo`), 1 MiB at a time; returns its size in bytes. */
export async function hashFileInto(
  path: string,
  hash: ChunkHash,
  options: HashFileOptions = {},
): Promise<number> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(CHUNK_BYTES);
  let size = 0;
  while (true) {
    throwIfCancelled(options.signal, `Reading ${path}`);
    const n = await file.read(buffer);
    if (n === null) return size;
    const chunk = buffer.subarray(0, n);
    hash.update(chunk);
    if (options.copyTo) {
      for (let at = 0; at < n;) at += await options.copyTo.write(chunk.subarray(at));
    }
    size += n;
  }
}

/** The sha256 of the file at `path`, in lower-case hex. */
export async function sha256File(path: string, options: HashFileOptions = {}): Promise<string> {
  const hash = createHash("sha256");
  await hashFileInto(path, hash, options);
  return hash.digest("hex");
}
