/**
 * The messages between the main thread and the decode worker
 * (`_decode_worker.ts`): the main thread sends `start` with the buffers it
 * lends, the worker answers with a `chunk` per filled buffer, the main thread
 * hands each buffer back with `buffer` once consumed, and the worker ends
 * with `end` or `error`.
 *
 * @module
 */

/** A message to the worker. */
export type DecodeWorkerRequest =
  | { type: "start"; path: string; format: "gzip" | "zstd"; buffers: ArrayBuffer[] }
  | { type: "buffer"; buffer: ArrayBuffer };

/** A message from the worker. */
export type DecodeWorkerReply =
  | { type: "chunk"; buffer: ArrayBuffer; length: number }
  | { type: "end" }
  | { type: "error"; message: string };
