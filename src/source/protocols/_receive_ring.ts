/**
 * Where a download body lands: a ring of two 500 KiB buffers that the body
 * is read into (a BYOB read fills one whole buffer, up to what the client
 * has), each read's bytes handed at once to an asynchronous write, which
 * Deno runs on its blocking-I/O thread, and hashed on this thread
 * (`node:crypto`, native and synchronous, about 0.7 s per GiB with the CPU's
 * SHA extensions, as fast as `openssl dgst`) while that write runs. So the
 * write of one read overlaps the hashing and reception of the next ones, on
 * the second core, with no worker thread (a Deno worker costs 15-20 MiB of
 * RSS), no copy of the bytes in JavaScript, and memory bounded to the two
 * buffers (1000 KiB). Measured by `bench/fetch_bench.ts`.
 *
 * Each buffer is its own `ArrayBuffer`, read into whole: a failed BYOB read
 * takes its buffer with it (the stream keeps it), and what it takes then is
 * only that empty buffer, never bytes already counted. Every byte a read
 * returned is hashed and queued for writing before the next read, so a
 * resume continues at the exact byte received.
 *
 * Once {@link ReceiveRing.flush} returns, the hash and the file cover the
 * same bytes, in order: nothing is hashed that is not written, and the
 * caller verifies the digest before the file is used.
 *
 * On the 2-core machine of `BENCHMARKS.md` the writes are the slower side:
 * timing the loop of a 1 GiB fetch into tmpfs at load 3 (2.2-2.8 s), reading
 * took 0.35-0.55 s, hashing and starting the writes 1.0-1.3 s, and waiting for
 * a buffer's write 0.7-1.5 s, with two buffers as with four.
 *
 * @module
 */

import type { ChunkHash } from "../../_hash.ts";

/**
 * Bytes per buffer: the most one read returns, and so one write. Deno's
 * client hands over up to about 512 KiB per read (a 1 MiB buffer came back
 * 512 KiB full in 2,079 of 2,096 reads of a 1 GiB body). Deliberately 500
 * KiB, not a power of two: writes that cover power-of-two-aligned ranges of
 * the file let the kernel put them in large page-cache folios, and on this
 * VM those cost 2-4x the system time (writing 1 GiB, 3 runs each: 512 KiB
 * writes 0.29-2.04 s of sys, 1 MiB 1.68-1.97 s, 256 KiB 0.81-1.21 s, against
 * 500 KiB 0.34-0.60 s and 1000 KiB 0.32-0.33 s).
 */
const BUFFER_BYTES = 500 << 10;
/**
 * Buffers in the ring: one is written while the next is read into and
 * hashed. More buffers only add memory here: 1 GiB fetches at load 7-8, 6
 * runs each of 2, 3 and 4 buffers: CPU 2.15 / 2.27 / 2.35 s, wall 3.9 / 4.0
 * / 4.5 s, peak RSS 60.7 / 61.2 / 62.8 MiB (means).
 */
const BUFFERS = 2;

interface Slot {
  bytes: Uint8Array<ArrayBuffer>;
  written: Promise<void>;
}

/** Reads a body into a ring of buffers, writing and hashing each read; see the module doc. */
export class ReceiveRing {
  readonly #file: Deno.FsFile;
  readonly #slots: Slot[] = [];
  readonly #bufferBytes: number;
  #current = 0;
  /** The last write queued: each starts after the one before, so the file is written in order. */
  #tail: Promise<void> = Promise.resolve();
  /** Writes queued and not yet settled: with none, a new one starts at once. */
  #inFlight = 0;
  #failure: { error: unknown } | undefined;

  /** Appends to `file` (open for writing, positioned at its end). */
  constructor(file: Deno.FsFile, bufferBytes: number = BUFFER_BYTES) {
    this.#file = file;
    this.#bufferBytes = bufferBytes;
    for (let i = 0; i < BUFFERS; i++) {
      this.#slots.push({ bytes: new Uint8Array(bufferBytes), written: Promise.resolve() });
    }
  }

  /**
   * The buffer to read into next, once its earlier write is done; throws a
   * failed write's error. A buffer a failed read took is replaced.
   */
  async take(): Promise<Uint8Array<ArrayBuffer>> {
    const slot = this.#slots[this.#current];
    await slot.written;
    this.#throwIfFailed();
    // A detached buffer (a failed read kept it) has no bytes left.
    if (slot.bytes.byteLength === 0) slot.bytes = new Uint8Array(this.#bufferBytes);
    return slot.bytes;
  }

  /**
   * Takes back the buffer of the last {@link take}, now holding `chunk` (the
   * read's view of it), starts writing `chunk` and hashes it into `hash`.
   */
  commit(chunk: Uint8Array, hash: ChunkHash): void {
    const slot = this.#slots[this.#current];
    slot.bytes = new Uint8Array(chunk.buffer as ArrayBuffer);
    if (chunk.length > 0) slot.written = this.#write(chunk);
    hash.update(chunk);
    this.#current = (this.#current + 1) % BUFFERS;
  }

  /** Waits for every write; throws a write's error. */
  async flush(): Promise<void> {
    await this.#tail;
    this.#throwIfFailed();
  }

  /** Queues `data` after the writes before it; it starts now when none is running. */
  #write(data: Uint8Array): Promise<void> {
    const file = this.#file;
    const start = () => this.#failure ? undefined : writeAll(file, data);
    const idle = this.#inFlight === 0;
    this.#inFlight++;
    return this.#tail = (idle ? start() ?? Promise.resolve() : this.#tail.then(start))
      .catch((error) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#inFlight--;
      });
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let written = 0; written < data.length;) {
    written += await file.write(data.subarray(written));
  }
}
