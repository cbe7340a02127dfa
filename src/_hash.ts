/**
 * Hashing a file: the one loop that streams a file's bytes into a hash
 * (node:crypto's `Hash`, the source stage's `MultiHasher`), optionally
 * copying them on the way, for checksums of sources, records and verify.
 *
 * `node:crypto` is imported only to hash a file larger than
 * {@link SMALL_FILE_BYTES}: loading it costs more CPU than Deno's whole
 * start-up (`BENCHMARKS.md`, cold start), so `verify` of a worker of small
 * files hashes them with WebCrypto instead.
 *
 * @module
 */

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

/** Files up to this size are hashed in one piece with WebCrypto by {@link sha256File}. */
export const SMALL_FILE_BYTES = 4 << 20;

/** Lower-case hex of `bytes`. */
function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** The sha256 of the file at `path`, in lower-case hex. */
export async function sha256File(path: string, options: HashFileOptions = {}): Promise<string> {
  if (!options.copyTo) {
    using file = await Deno.open(path, { read: true });
    const { size } = await file.stat();
    if (size <= SMALL_FILE_BYTES) {
      throwIfCancelled(options.signal, `Reading ${path}`);
      const bytes = new Uint8Array(size + 1); // one more byte: a file that grew is streamed
      let n = 0;
      while (n < bytes.length) {
        const read = await file.read(bytes.subarray(n));
        if (read === null) break;
        n += read;
      }
      if (n <= size) {
        return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(0, n))));
      }
    }
  }
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  await hashFileInto(path, hash, options);
  return hash.digest("hex");
}

/** Bytes hashed between turns given to the event loop. */
const YIELD_BYTES = 8 << 20;

/**
 * The sha256 of the file at `path`, read with synchronous calls into one
 * buffer (several times faster here than async reads of the same size,
 * see BENCHMARKS.md, staging), giving the event loop a turn every 8 MiB
 * (timers and Ctrl-C handlers run). For many files in a row.
 */
export async function sha256FileBlocking(path: string, signal?: AbortSignal): Promise<string> {
  using file = Deno.openSync(path, { read: true });
  return await sha256OpenFileBlocking(file, path, signal);
}

/**
 * {@link sha256FileBlocking} of a file the caller opened (and keeps open,
 * e.g. to flush it next); reads it from its current offset. `path` names
 * it in a cancellation.
 */
export async function sha256OpenFileBlocking(
  file: Deno.FsFile,
  path: string,
  signal?: AbortSignal,
): Promise<string> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  // One buffer for every call (a fresh 1 MiB per file grows the heap by hundreds of MiB
  // over thousands of files before it is collected); a call that overlaps takes its own.
  const shared = !sharedBuffer.busy;
  const buffer = shared
    ? (sharedBuffer.bytes ??= new Uint8Array(1 << 20))
    : new Uint8Array(1 << 20);
  if (shared) sharedBuffer.busy = true;
  try {
    return await hashInto(file, hash, buffer, path, signal);
  } finally {
    if (shared) sharedBuffer.busy = false;
  }
}

/** The buffer of {@link sha256FileBlocking}, made on first use (the light start-up path loads this module). */
const sharedBuffer: { bytes?: Uint8Array; busy: boolean } = { busy: false };

async function hashInto(
  file: Deno.FsFile,
  hash: ChunkHash & { digest(encoding: "hex"): string },
  buffer: Uint8Array,
  path: string,
  signal?: AbortSignal,
): Promise<string> {
  let sinceYield = 0;
  for (;;) {
    const n = file.readSync(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
    if ((sinceYield += n) >= YIELD_BYTES) {
      sinceYield = 0;
      await new Promise((r) => setTimeout(r, 0));
      throwIfCancelled(signal, `Reading ${path}`);
    }
  }
  return hash.digest("hex");
}
