/**
 * The decode worker: decodes a gzip or zstd file on its own thread so the
 * main thread only parses tar headers and writes files. It fills buffers the
 * main thread lends it (decoding straight into them) and transfers them
 * back, so no buffer is allocated or copied per chunk.
 *
 * The messages are in `_decode_messages.ts`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { decodeChunks, readFileChunks } from "./_decoded_chunks.ts";
import type { DecodeWorkerReply, DecodeWorkerRequest } from "./_decode_messages.ts";
import { createBufferDecoder } from "./_zlib_handle.ts";

const free: ArrayBuffer[] = [];
let wake: (() => void) | undefined;

async function takeBuffer(): Promise<Uint8Array> {
  while (free.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return new Uint8Array(free.pop()!);
}

function send(reply: DecodeWorkerReply, transfer: ArrayBuffer[] = []): void {
  self.postMessage(reply, transfer);
}

async function run(path: string, format: "gzip" | "zstd"): Promise<void> {
  const decoder = createBufferDecoder(format);
  if (!decoder) throw new Error("node:zlib has no buffer decoder here");
  let current = await takeBuffer();
  let filled = 0;
  const target = { buffer: current };
  const post = () => {
    const buffer = current.buffer as ArrayBuffer;
    send({ type: "chunk", buffer, length: filled }, [buffer]);
  };
  // Decoded straight into the lent buffer: each chunk is the start of `target.buffer`.
  for await (const chunk of decodeChunks(readFileChunks(path, true), format, decoder, target)) {
    filled += chunk.length;
    if (filled === current.length) {
      post();
      current = await takeBuffer();
      filled = 0;
    }
    target.buffer = current.subarray(filled);
  }
  if (filled > 0) post();
  send({ type: "end" });
}

self.onmessage = (event: MessageEvent<DecodeWorkerRequest>) => {
  const request = event.data;
  if (request.type === "buffer") {
    free.push(request.buffer);
    wake?.();
    wake = undefined;
    return;
  }
  free.push(...request.buffers);
  run(request.path, request.format).catch((error) =>
    send({ type: "error", message: error instanceof Error ? error.message : String(error) })
  );
};
