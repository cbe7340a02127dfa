/**
 * A file writer that coalesces small chunks into 1 MiB buffers and writes
 * one buffer while the next fills, so disk writes overlap network reads and
 * hashing, with memory bounded to two buffers.
 *
 * @module
 */

const WRITE_BUFFER = 1 << 20;

/**
 * Coalesces chunks into 1 MiB buffers and writes one buffer while the next
 * fills, so disk writes overlap network reads and hashing.
 */
export class DoubleBufferedWriter {
  readonly #file: Deno.FsFile;
  #buffers = [new Uint8Array(WRITE_BUFFER), new Uint8Array(WRITE_BUFFER)];
  #fill = 0;
  #pending: Promise<void> = Promise.resolve();
  #error: unknown;

  /** Wraps `file`, which must be open for writing. */
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /** Buffers `chunk`, waiting only when both buffers are full. */
  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, WRITE_BUFFER - this.#fill);
      this.#buffers[0].set(chunk.subarray(offset, offset + n), this.#fill);
      this.#fill += n;
      offset += n;
      if (this.#fill === WRITE_BUFFER) await this.#swap();
    }
  }

  /** Writes everything buffered and waits for it. */
  async flush(): Promise<void> {
    await this.#swap();
    await this.#pending;
    if (this.#error !== undefined) throw this.#error;
  }

  async #swap(): Promise<void> {
    await this.#pending; // the other buffer is free once its write is done
    if (this.#error !== undefined) throw this.#error;
    const full = this.#buffers[0].subarray(0, this.#fill);
    this.#buffers = [this.#buffers[1], this.#buffers[0]];
    this.#fill = 0;
    this.#pending = writeAll(this.#file, full).catch((error) => {
      this.#error = error;
    });
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
}
