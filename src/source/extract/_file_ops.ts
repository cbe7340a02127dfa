/**
 * The file system calls behind `SafeTarExtractor`
 * (`tar_extract.ts`): writing a file's data (whole, double-buffered on the
 * runtime's I/O thread, or at a sparse file's segments), making a directory
 * unless something is there, `lstat` without an error for nothing.
 *
 * @module
 */

import type { TarSparseSegment } from "./tar_reader.ts";

/** Writes all of `bytes` to `file`. */
export function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/** Writes a sparse file's data at its segments' offsets, seeking over the holes between them. */
export function sparseWriter(
  file: Deno.FsFile,
  segments: readonly TarSparseSegment[],
  overflow: () => Error,
): (chunk: Uint8Array) => void {
  let index = -1;
  let left = 0; // bytes left in the current segment
  return (chunk) => {
    let pos = 0;
    while (pos < chunk.length) {
      if (left === 0) {
        const next = segments[++index];
        if (!next) throw overflow();
        file.seekSync(next.offset, Deno.SeekMode.Start);
        left = next.size;
      }
      const n = Math.min(left, chunk.length - pos);
      writeAll(file, chunk.subarray(pos, pos + n));
      pos += n;
      left -= n;
    }
  };
}

/** Creates the directory `path`; false when something (of any kind) is already there. */
export function mkdirIfAbsent(path: string, mode: number): boolean {
  try {
    Deno.mkdirSync(path, { mode });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** `lstat` of `path`, or `undefined` when nothing is there. */
export function lstatIfExists(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Bytes per asynchronous write of a large file: 500 KiB, deliberately not a
 * power of two (see `_receive_ring.ts`: writes covering power-of-two-aligned
 * ranges land in large page-cache folios, which cost this VM 2-4x the
 * system time).
 */
export const WRITE_BLOCK = 500 << 10;

/**
 * Writes large files through two blocks of {@link WRITE_BLOCK} bytes: the
 * data is copied into one while the other is written by an asynchronous
 * write, which Deno runs on its blocking-I/O thread, so the kernel's work of
 * one block overlaps the decoding and parsing of the next, on the second
 * core. One write is in flight at a time (they share the file position),
 * and a block is refilled only once its write completed. A failed write is
 * kept and thrown by the next call; {@link drain} waits for the write in
 * flight without throwing (after another error).
 */
export class DoubleBufferedWriter {
  readonly #blocks = [new Uint8Array(WRITE_BLOCK), new Uint8Array(WRITE_BLOCK)];
  #file: Deno.FsFile | undefined;
  #block = 0; // the block being filled
  #fill = 0;
  #inFlight: Promise<void> | undefined;
  #failure: unknown;

  /** Starts writing `file` (the previous file must have been ended). */
  begin(file: Deno.FsFile): void {
    this.#file = file;
    this.#fill = 0;
  }

  /**
   * Copies `chunk` into the current block, starting a write of each block it
   * fills; a promise only when a full block must wait for the write before
   * it (`chunk` is read until that promise settles).
   */
  write(chunk: Uint8Array): void | Promise<void> {
    let pos = 0;
    while (pos < chunk.length) {
      const block = this.#blocks[this.#block];
      const n = Math.min(block.length - this.#fill, chunk.length - pos);
      block.set(chunk.subarray(pos, pos + n), this.#fill);
      this.#fill += n;
      pos += n;
      if (this.#fill === block.length) {
        const waiting = this.#flush();
        if (waiting) {
          const rest = chunk.subarray(pos);
          return waiting.then(() => this.write(rest));
        }
      }
    }
  }

  /** Writes what is left and waits for every write of the file; throws the first failure. */
  async end(): Promise<void> {
    if (this.#fill > 0) await this.#flush();
    await this.drain();
    this.#file = undefined;
    this.#throwIfFailed();
  }

  /** Waits for the write in flight, if any (never throws). */
  async drain(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** Starts the write of the current block once the write before it is done. */
  #flush(): void | Promise<void> {
    if (this.#inFlight) return this.#inFlight.then(() => this.#flush());
    this.#throwIfFailed();
    const bytes = this.#blocks[this.#block].subarray(0, this.#fill);
    const file = this.#file!;
    const done: Promise<void> = writeAllAsync(file, bytes).then(
      () => {
        if (this.#inFlight === done) this.#inFlight = undefined;
      },
      (error) => {
        this.#failure ??= error;
        if (this.#inFlight === done) this.#inFlight = undefined;
      },
    );
    this.#inFlight = done;
    this.#block = 1 - this.#block;
    this.#fill = 0;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw failure;
    }
  }
}

async function writeAllAsync(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}
