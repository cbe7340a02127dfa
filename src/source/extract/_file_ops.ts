/**
 * The file system calls behind `SafeTarExtractor`
 * (`tar_extract.ts`): writing a file's data (whole, pipelined on the
 * runtime's I/O thread, or at a sparse file's segments), making a directory
 * unless something is there, `lstat` without an error for nothing.
 *
 * @module
 */

import type { TarDataSink, TarSparseSegment } from "./tar_reader.ts";

/** Writes all of `bytes` to `file`. */
export function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/** How {@link fileSink} writes a file and ends it. */
export interface FileSinkOptions {
  /** A sparse file's map: its data is written at the segments' offsets. */
  readonly sparse?: readonly TarSparseSegment[];
  /** Writes asynchronously from chunks that stay put; without it, synchronously. */
  readonly writer?: PipelinedWriter;
  /** Called before each chunk (throws on cancellation). */
  readonly check: () => void;
  /** The error for sparse data beyond the map. */
  readonly overflow: () => Error;
  /** Ends the file once all its data was written (mtime, close). */
  readonly finish: () => void;
}

/**
 * The sink of a large or sparse file open as `file`: its data written
 * synchronously (at the sparse segments' offsets when `sparse` is given),
 * or through the {@link PipelinedWriter}, whose writes the close waits for
 * before `finish`.
 */
export function fileSink(file: Deno.FsFile, options: FileSinkOptions): TarDataSink {
  const { check, finish, writer } = options;
  if (options.sparse || !writer) {
    const write = options.sparse
      ? sparseWriter(file, options.sparse, options.overflow)
      : (chunk: Uint8Array) => writeAll(file, chunk);
    return {
      write(chunk: Uint8Array): void {
        check();
        write(chunk);
      },
      close: finish,
    };
  }
  return {
    write(chunk: Uint8Array): void | Promise<void> {
      check();
      return writer.write(file, chunk);
    },
    async close(): Promise<void> {
      await writer.end();
      finish();
    },
  };
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
 * Writes large files' data through asynchronous writes, which Deno runs on
 * its blocking-I/O thread, so the kernel's work for one chunk overlaps the
 * decoding and parsing of the next, on the second core. The chunks are
 * written where they are, not copied: only for a source whose chunks stay
 * unchanged until the chunk after the next one was asked for (the
 * in-process decoder's ring of two buffers). One write is in flight at a
 * time (writes share the file position), so each chunk's write starts once
 * the previous one completed, and the ring's other buffer is free by the
 * time it is decoded into again. A failed write is kept and thrown by the
 * next call; {@link drain} waits for the write in flight without throwing
 * (after another error).
 */
export class PipelinedWriter {
  #inFlight: Promise<void> | undefined;
  #failure: unknown;

  /**
   * Starts writing `chunk` to `file` after the write in flight; a promise
   * when it must wait for that one (it settles once this write started).
   */
  write(file: Deno.FsFile, chunk: Uint8Array): void | Promise<void> {
    if (this.#inFlight) return this.#inFlight.then(() => this.#start(file, chunk));
    this.#start(file, chunk);
  }

  /** Waits for the write in flight and throws the first failure. */
  async end(): Promise<void> {
    await this.drain();
    this.#throwIfFailed();
  }

  /** Waits for the write in flight, if any (never throws). */
  async drain(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  #start(file: Deno.FsFile, chunk: Uint8Array): void {
    this.#throwIfFailed();
    const done: Promise<void> = writeAllAsync(file, chunk).then(
      () => {
        if (this.#inFlight === done) this.#inFlight = undefined;
      },
      (error) => {
        this.#failure ??= error;
        if (this.#inFlight === done) this.#inFlight = undefined;
      },
    );
    this.#inFlight = done;
  }

  #throwIfFailed(): void {
    if (this.#failure === undefined) return;
    const failure = this.#failure;
    this.#failure = undefined;
    throw failure;
  }
}

async function writeAllAsync(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}
