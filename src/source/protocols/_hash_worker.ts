/**
 * The hash worker of a download: hashes each block the download hands over
 * and appends it to the `.part` file, on its own thread, so the main thread
 * keeps receiving (its event loop is also the one the HTTP client runs on).
 * Blocks are transferred in and back, never copied. Messages are in
 * `_hash_messages.ts`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { MultiHasher } from "../integrity.ts";
import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import type { HashWorkerReply, HashWorkerRequest } from "./_hash_messages.ts";

let file: Deno.FsFile | undefined;
let algorithms: HashAlgorithm[] = [];
let hasher = new MultiHasher([]);
let failed = false;

function send(reply: HashWorkerReply, transfer: ArrayBuffer[] = []): void {
  self.postMessage(reply, transfer);
}

function handle(request: HashWorkerRequest): void {
  switch (request.type) {
    case "start":
      file = Deno.openSync(request.path, { write: true, append: true });
      algorithms = request.algorithms;
      hasher = new MultiHasher(algorithms);
      return;
    case "block": {
      const bytes = new Uint8Array(request.buffer, 0, request.length);
      hasher.update(bytes);
      for (let written = 0; written < bytes.length;) {
        written += file!.writeSync(bytes.subarray(written));
      }
      return send({ type: "done", buffer: request.buffer }, [request.buffer]);
    }
    case "restart":
      hasher = new MultiHasher(algorithms);
      return;
    case "digest":
      file?.close();
      file = undefined;
      return send({ type: "digests", digests: hasher.digest() });
  }
}

self.onmessage = (event: MessageEvent<HashWorkerRequest>) => {
  if (failed) return;
  try {
    handle(event.data);
  } catch (error) {
    failed = true;
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
