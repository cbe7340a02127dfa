/**
 * The messages between a download and its hash worker (`_hash_worker.ts`).
 *
 * @module
 */

import type { HashAlgorithm } from "../../pkgbuild/model.ts";

/** To the worker. */
export type HashWorkerRequest =
  /** Append to `path` and hash with `algorithms` from now on. */
  | { type: "start"; path: string; algorithms: HashAlgorithm[] }
  /** Hash and append `buffer[0, length)`, then send the buffer back. */
  | { type: "block"; buffer: ArrayBuffer; length: number }
  /** Start the hashes over (the file was emptied). */
  | { type: "restart" }
  /** Send the digests. */
  | { type: "digest" };

/** From the worker. */
export type HashWorkerReply =
  | { type: "done"; buffer: ArrayBuffer }
  | { type: "digests"; digests: Partial<Record<HashAlgorithm, string>> }
  | { type: "error"; message: string };
