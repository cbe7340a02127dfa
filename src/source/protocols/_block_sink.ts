/**
 * Where a download body lands: chunks are copied into a ring of four 512 KiB
 * blocks; a full block is hashed on this thread (`node:crypto`, native and
 * synchronous, about 0.7 s per GiB with the CPU's SHA extensions, as fast as
 * `openssl dgst`) and handed to an asynchronous write, which Deno runs on its
 * blocking-I/O thread. So writing overlaps the reception and hashing of the
 * next blocks, on the second core, with no worker thread (a Deno worker costs
 * 15-20 MiB of RSS) and memory bounded to the four blocks (2 MiB). Measured
 * by `bench/fetch_bench.ts`.
 *
 * The chunks are copied (one memcpy; all of libc's memmove was 9% of the CPU
 * samples of a 1 GiB fetch) rather than read straight into the blocks
 * because a failed BYOB read takes its buffer with it: a block would lose the
 * bytes it had collected, and a resume could not continue at the exact byte
 * received.
 *
 * Once {@link BlockSink.flush} returns, the hash and the file cover the same
 * bytes, in order: nothing is hashed that is not written, and the caller
 * verifies the digest before the file is used.
 *
 * @module
 */

import type { ChunkHash } from "../../_hash.ts";

/** Bytes per block: one write and one hash update each. */
const BLOCK = 512 << 10;
/**
 * Blocks in the ring: up to three wait for or are in their write while the
 * fourth fills, so one slow write (page reclaim) does not stop the reception.
 * Peak RSS of a 1 GiB fetch, 5-6 runs each, same CPU time: 4 x 1 MiB 63-65
 * MiB, 4 x 512 KiB 61-63 MiB (one run 69), 2 x 512 KiB 60-64 MiB.
 */
const BLOCKS = 4;

interface Block {
  readonly bytes: Uint8Array;
  written: Promise<void>;
}

/** Collects a stream into blocks, hashing and appending each full one; see the module doc. */
export class BlockSink {
  readonly #file: Deno.FsFile;
  readonly #blocks: Block[] = [];
  #current = 0;
  #fill = 0;
  /** The last write started: each waits for the one before, so the file is written in order. */
  #tail: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;

  /** Appends to `file` (open for writing, positioned at its end). */
  constructor(file: Deno.FsFile) {
    this.#file = file;
    for (let i = 0; i < BLOCKS; i++) {
      this.#blocks.push({ bytes: new Uint8Array(BLOCK), written: Promise.resolve() });
    }
  }

  /**
   * Copies `chunk` (free again on return) into the blocks; each block filled
   * is hashed into `hash` and its write started. Waits only while the next
   * block's earlier write is still running; throws a failed write's error.
   */
  async write(chunk: Uint8Array, hash: ChunkHash): Promise<void> {
    for (let offset = 0; offset < chunk.length;) {
      const block = this.#blocks[this.#current];
      if (this.#fill === 0) {
        await block.written;
        this.#throwIfFailed();
      }
      const n = Math.min(chunk.length - offset, BLOCK - this.#fill);
      block.bytes.set(chunk.subarray(offset, offset + n), this.#fill);
      this.#fill += n;
      offset += n;
      if (this.#fill === BLOCK) this.#hand(hash);
    }
  }

  /** Hashes and writes the partial block and waits for every write; throws a write's error. */
  async flush(hash: ChunkHash): Promise<void> {
    if (this.#fill > 0 && !this.#failure) this.#hand(hash);
    await this.#tail;
    this.#throwIfFailed();
  }

  #hand(hash: ChunkHash): void {
    const block = this.#blocks[this.#current];
    const data = block.bytes.subarray(0, this.#fill);
    hash.update(data);
    const file = this.#file;
    block.written = this.#tail = this.#tail
      .then(() => this.#failure ? undefined : writeAll(file, data))
      .catch((error) => {
        this.#failure ??= { error };
      });
    this.#current = (this.#current + 1) % BLOCKS;
    this.#fill = 0;
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
