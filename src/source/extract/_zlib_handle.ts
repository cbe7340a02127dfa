/**
 * Synchronous gzip and zstd decoding into caller-owned buffers, through the
 * handle behind a `node:zlib` stream: `_handle.writeSync(...)` with the
 * `_writeState` pair, the interface Node's own `zlib.js` drives and Deno's
 * `node:zlib` mirrors.
 *
 * Why not the stream API: it hands out a freshly allocated buffer for every
 * output chunk, and the page faults of those fresh buffers alone cost about
 * 1.2 s of system time per GiB (measured with `bench/extract_bench.ts`),
 * which put tar.gz extraction above `bsdtar`. Decoding into two reused buffers
 * removes that cost. When a runtime has no such handle,
 * {@link createBufferDecoder} returns `undefined` and callers use the stream
 * API or the system tool instead.
 *
 * @module
 */

import zlib from "node:zlib";

/** The result of one {@link BufferDecoder.decode} call. */
export interface DecodeStep {
  /** Input bytes consumed. */
  readonly consumed: number;
  /** Output bytes written at the start of the output buffer. */
  readonly produced: number;
}

/** A streaming decoder over caller-owned buffers. */
export interface BufferDecoder {
  /**
   * Decodes `input[offset, offset + length)` into `output`. Call again with
   * the unconsumed rest while the output comes back full. With `finish`, the
   * stream must end here (gzip reports a truncated stream).
   */
  decode(
    input: Uint8Array,
    offset: number,
    length: number,
    output: Uint8Array,
    finish: boolean,
  ): DecodeStep;
  /** Starts over for a new stream (the next zstd frame). */
  reset(): void;
}

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  reset(): void;
  onerror?: (message: string, errno: number) => void;
}

/** Creates a decoder for `format`, or returns `undefined` when this runtime's `node:zlib` has no usable handle. */
export function createBufferDecoder(format: "gzip" | "zstd"): BufferDecoder | undefined {
  const stream = format === "gzip" ? zlib.createGunzip() : zlib.createZstdDecompress();
  const { _handle: handle, _writeState: state } = stream as unknown as {
    _handle?: ZlibHandle;
    _writeState?: Uint32Array;
  };
  if (
    typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" ||
    !(state instanceof Uint32Array) || state.length < 2
  ) {
    stream.destroy();
    return undefined;
  }
  let failure: string | undefined;
  handle.onerror = (message) => (failure ??= message);
  const constants = zlib.constants as Record<string, number>;
  const [more, end] = format === "gzip"
    ? [constants.Z_NO_FLUSH, constants.Z_FINISH]
    : [constants.ZSTD_e_continue, constants.ZSTD_e_end];
  return {
    decode(input, offset, length, output, finish): DecodeStep {
      handle.writeSync(finish ? end : more, input, offset, length, output, 0, output.length);
      if (failure !== undefined) throw new Error(failure);
      return { consumed: length - state[1], produced: output.length - state[0] };
    },
    reset(): void {
      handle.reset();
    },
  };
}
