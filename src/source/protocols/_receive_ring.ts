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
 * only that empty buffer, never bytes already counted. A read of at least
 * 64 KiB (plain HTTP: almost all of them) is hashed and queued for writing
 * before the next read; shorter reads (HTTPS: one 16 KiB TLS record each)
 * are copied into one of two blocks of the same size, never handed to the
 * stream, which is hashed and written when full or at the end. So a resume
 * continues at the exact byte received.
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
 * This thread is the floor (1 GiB from a `sendfile` server into ext4, load
 * 2-4, CPU per thread from `/proc`): it spends 1.5-1.9 s (`perf`: sha256 0.8
 * s, kernel receive 0.54 s, Deno's client 0.28 s, copying into our buffer
 * 0.13 s), Deno's I/O threads 0.45-0.55 s writing. The hash cannot go
 * faster or elsewhere: `node:crypto` sha256 takes 0.68-0.71 s per GiB in
 * slices of 64 KiB to 4 MiB alike, `openssl speed -evp sha256` 0.69 s (the
 * same SHA extensions); `crypto.subtle.digest` runs mostly off this thread
 * (timers keep firing) but takes the whole body at once (2.0-2.1 s per GiB
 * even so); a worker to hash in costs 22 MiB of peak RSS (a worker
 * importing `node:crypto`), over the 64 MiB bound. Writes started at once
 * instead of one after another, and three buffers instead of two, changed
 * nothing measurable (8 runs each); nor did `take` and `commit` returning a
 * value instead of a promise when nothing is to wait for (1 GiB over HTTPS,
 * 65,536 reads, 6 pairs: CPU 1.00x).
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

/**
 * Reads at least this long are written straight from the buffer they were
 * read into; shorter ones are copied into a block and written once it is
 * full. Over TLS, Deno's client returns one 16 KiB record per read (16,385
 * reads of a 256 MiB body, every one 16 KiB): written one by one, that
 * would be a write and a hop to the I/O thread per 16 KiB.
 */
const DIRECT_BYTES = 64 << 10;

interface Block {
  bytes: Uint8Array<ArrayBuffer>;
  written: Promise<void>;
}

/** Reads a body into a ring of buffers, writing and hashing each read; see the module doc. */
export class ReceiveRing {
  readonly #file: Deno.FsFile;
  /** The buffers reads go into. */
  readonly #slots: Block[] = [];
  /** The blocks short reads are collected in, made on first use. */
  readonly #blocks: Block[] = [];
  readonly #bufferBytes: number;
  #current = 0;
  #block = 0;
  /** Bytes collected in the current block. */
  #fill = 0;
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
   * read's view of it). A long chunk is hashed into `hash` and its write
   * started at once, after the bytes collected before it; a short one is
   * copied into the current block, which is hashed and written once full.
   * Waits only for a block's earlier write; throws a failed write's error.
   */
  async commit(chunk: Uint8Array, hash: ChunkHash): Promise<void> {
    const slot = this.#slots[this.#current];
    slot.bytes = new Uint8Array(chunk.buffer as ArrayBuffer);
    this.#current = (this.#current + 1) % BUFFERS;
    if (chunk.length >= DIRECT_BYTES) {
      this.#handBlock(hash);
      slot.written = this.#hand(chunk, hash);
      return;
    }
    for (let at = 0; at < chunk.length;) {
      const block = await this.#currentBlock();
      const n = Math.min(chunk.length - at, block.bytes.length - this.#fill);
      block.bytes.set(chunk.subarray(at, at + n), this.#fill);
      this.#fill += n;
      at += n;
      if (this.#fill === block.bytes.length) this.#handBlock(hash);
    }
  }

  /** Hashes and writes the bytes collected so far, then waits for every write; throws a write's error. */
  async flush(hash: ChunkHash): Promise<void> {
    if (!this.#failure) this.#handBlock(hash);
    await this.#tail;
    this.#throwIfFailed();
  }

  /** The block to collect into, once its earlier write is done. */
  async #currentBlock(): Promise<Block> {
    const block = this.#blocks[this.#block] ??= {
      bytes: new Uint8Array(this.#bufferBytes),
      written: Promise.resolve(),
    };
    if (this.#fill === 0) {
      await block.written;
      this.#throwIfFailed();
    }
    return block;
  }

  /** Hands the collected bytes, if any, and moves to the other block. */
  #handBlock(hash: ChunkHash): void {
    if (this.#fill === 0) return;
    const block = this.#blocks[this.#block];
    block.written = this.#hand(block.bytes.subarray(0, this.#fill), hash);
    this.#block = (this.#block + 1) % BUFFERS;
    this.#fill = 0;
  }

  /** Starts writing `data` (after the writes before it) and hashes it while the write runs. */
  #hand(data: Uint8Array, hash: ChunkHash): Promise<void> {
    const written = this.#write(data);
    hash.update(data);
    return written;
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
