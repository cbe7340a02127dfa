/**
 * The chunk generators behind in-process decoding, shared by the main thread
 * and the decode worker: a file read into one reused buffer, and gzip or
 * zstd decoded from such chunks into one reused output buffer. Each yielded
 * chunk is overwritten once the consumer asks for the next one.
 *
 * @module
 */

import type { BufferDecoder } from "./_zlib_handle.ts";
import { ZSTD_MAGIC, ZstdFrameScanner } from "./_zstd_frames.ts";

/**
 * Bytes read from a file per read: 256 KiB, not more, for peak RSS (the
 * kernel reads ahead far more than that, so larger reads saved no time).
 */
export const INPUT_CHUNK = 256 << 10;
/** Bytes decoded per yielded chunk. */
export const OUTPUT_CHUNK = 256 << 10;

const NO_INPUT = new Uint8Array(0);

/**
 * The bytes of the file at `path`, read in order into one reused buffer;
 * closes it when done or stopped. With `blocking`, each read blocks the
 * calling thread instead of going through the runtime's thread pool (for a
 * worker thread, which has nothing else to do meanwhile).
 */
export async function* readFileChunks(path: string, blocking = false): AsyncGenerator<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(INPUT_CHUNK);
  while (true) {
    const n = blocking ? file.readSync(buffer) : await file.read(buffer);
    if (n === null) return;
    yield buffer.subarray(0, n);
  }
}

/** Where {@link decodeChunks} writes: the consumer may point `buffer` elsewhere between chunks. */
export interface DecodeTarget {
  /** The buffer the next decoded bytes go to (from its start). */
  buffer: Uint8Array;
}

/**
 * The decoded bytes of gzip or zstd `input`, each chunk a prefix of
 * `target.buffer` as it was when the chunk was decoded; throws on corrupt or
 * truncated data.
 */
export async function* decodeChunks(
  input: AsyncIterable<Uint8Array>,
  format: "gzip" | "zstd",
  decoder: BufferDecoder,
  target: DecodeTarget = { buffer: new Uint8Array(OUTPUT_CHUNK) },
): AsyncGenerator<Uint8Array> {
  function* feed(bytes: Uint8Array, start: number, end: number, finish = false) {
    let offset = start;
    while (true) {
      const output = target.buffer;
      const step = decoder.decode(bytes, offset, end - offset, output, finish);
      offset += step.consumed;
      if (step.produced > 0) yield output.subarray(0, step.produced);
      if (step.produced < output.length && offset >= end) return;
    }
  }
  if (format === "gzip") {
    for await (const chunk of input) yield* feed(chunk, 0, chunk.length);
    yield* feed(NO_INPUT, 0, 0, true);
    return;
  }
  const frames = new ZstdFrameScanner();
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length;) {
      const step = frames.next(chunk, at, chunk.length);
      if (step.event === "start") yield* feed(ZSTD_MAGIC, 0, ZSTD_MAGIC.length);
      if (step.decode) yield* feed(chunk, at, step.end);
      if (step.event === "end") decoder.reset();
      at = step.end;
    }
  }
  if (!frames.complete) throw new Error("the zstd data ends in the middle of a frame");
}
