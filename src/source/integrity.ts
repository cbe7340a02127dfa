/**
 * Streaming checksums: one {@link MultiHasher} computes every algorithm a
 * recipe pins while the bytes flow (download or local read), so a file is
 * read once. `ck` is POSIX `cksum` (CRC-32, printed in decimal as makepkg's
 * `cksum` does), `md5` to `sha512` come from `node:crypto`, `b2` is
 * BLAKE2b-512.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import type { HashAlgorithm } from "../pkgbuild/model.ts";
import { hashFileInto } from "../_hash.ts";

const NODE_ALGORITHMS: Record<Exclude<HashAlgorithm, "ck">, string> = {
  md5: "md5",
  sha1: "sha1",
  sha224: "sha224",
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  b2: "blake2b512",
};

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** POSIX `cksum`: CRC-32 (polynomial 0x04C11DB7, MSB first) over the data and its length. */
export class PosixCksum {
  #crc = 0;
  #length = 0;

  /** Feeds `chunk` into the checksum. */
  update(chunk: Uint8Array): void {
    let crc = this.#crc;
    for (let i = 0; i < chunk.length; i++) {
      crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ chunk[i]) & 0xff];
    }
    this.#crc = crc >>> 0;
    this.#length += chunk.length;
  }

  /** Returns the checksum as `cksum` prints it: a decimal number. */
  digest(): string {
    let crc = this.#crc;
    let n = this.#length;
    while (n > 0) {
      crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (n & 0xff)) & 0xff];
      n = Math.floor(n / 256);
    }
    return String((~crc) >>> 0);
  }
}

/** Computes several checksums of one byte stream at once. */
export class MultiHasher {
  readonly #hashes: [HashAlgorithm, Hash | PosixCksum][];

  /** Creates a hasher for `algorithms` (duplicates are ignored). */
  constructor(algorithms: Iterable<HashAlgorithm>) {
    this.#hashes = [...new Set(algorithms)].map((a) => [
      a,
      a === "ck" ? new PosixCksum() : createHash(NODE_ALGORITHMS[a]),
    ]);
  }

  /** Feeds `chunk` into every checksum. */
  update(chunk: Uint8Array): void {
    for (const [, hash] of this.#hashes) hash.update(chunk);
  }

  /** Returns each checksum in lower-case hex (`ck`: decimal); call once, at the end. */
  digest(): Partial<Record<HashAlgorithm, string>> {
    const out: Partial<Record<HashAlgorithm, string>> = {};
    for (const [a, hash] of this.#hashes) {
      out[a] = hash instanceof PosixCksum ? hash.digest() : hash.digest("hex");
    }
    return out;
  }
}

/** One checksum that did not match. */
export interface ChecksumMismatch {
  /** The algorithm, e.g. `sha256`. */
  readonly algorithm: HashAlgorithm;
  /** The expected value, lower case. */
  readonly expected: string;
  /** The value computed. */
  readonly actual: string;
}

/**
 * Compares `actual` digests with `expected` ones (case-insensitively, as
 * makepkg does) and returns the first mismatch, or `undefined` when all match.
 */
export function compareChecksums(
  expected: Partial<Record<HashAlgorithm, string>>,
  actual: Partial<Record<HashAlgorithm, string>>,
): ChecksumMismatch | undefined {
  for (const [algorithm, want] of Object.entries(expected) as [HashAlgorithm, string][]) {
    const got = actual[algorithm] ?? "";
    if (want.toLowerCase() !== got) return { algorithm, expected: want.toLowerCase(), actual: got };
  }
  return undefined;
}

/** Hashes a whole file with `algorithms`, streaming it. */
export async function hashFile(
  path: string,
  algorithms: Iterable<HashAlgorithm>,
  signal?: AbortSignal,
): Promise<Partial<Record<HashAlgorithm, string>>> {
  const hasher = new MultiHasher(algorithms);
  await hashFileInto(path, hasher, signal ? { signal } : {});
  return hasher.digest();
}
