/**
 * Extraction limits that stop a decompression bomb while it streams, before
 * it fills the disk: the bytes an archive produces in total (its decoded
 * stream, plus the holes sparse members declare), the members it holds, and
 * the ratio of the bytes produced to the archive's size on disk. The same
 * {@link ExtractBudget} wraps every path, whatever decodes the bytes: gzip
 * and zstd in-process, xz and bzip2 through their tools, zip and every other
 * format through `bsdtar`, and a single compressed file.
 *
 * The ratio is measured against the whole file, since decoders read ahead in
 * megabyte chunks (a bomb is usually smaller than one chunk), and checked
 * only after {@link ExtractLimits.ratioAfterBytes}, so a small archive of
 * zero padding never trips it. Deflate cannot exceed about 1032:1, so a
 * 1000:1 limit would let every gzip bomb through: the default is 200:1, well
 * above what real sources reach (source tarballs 4-15:1, binaries and
 * models 1-4:1) and the 100:1 Apache POI applies to zip containers.
 *
 * @module
 */

import { ExtractLimitError } from "../errors.ts";
import type { TarDataSink, TarEntry, TarHandler } from "./tar_reader.ts";

/** Limits of one archive's extraction; every field is optional. */
export interface ExtractLimits {
  /** Bytes an archive may produce in total. @default 68719476736 (64 GiB) */
  readonly maxBytes?: number;
  /** Members (files, directories, links) an archive may hold. @default 1000000 */
  readonly maxEntries?: number;
  /** Largest ratio of bytes produced to the archive's size on disk. @default 200 */
  readonly maxRatio?: number;
  /** Bytes produced before the ratio is checked. @default 16777216 (16 MiB) */
  readonly ratioAfterBytes?: number;
}

/** The limits applied when a caller gives none. */
export const DEFAULT_EXTRACT_LIMITS: Readonly<Required<ExtractLimits>> = {
  maxBytes: 64 * 1024 ** 3,
  maxEntries: 1_000_000,
  maxRatio: 200,
  ratioAfterBytes: 16 * 1024 ** 2,
};

/** The CLI flag that raises each limit, named in the error. */
const FLAGS = {
  bytes: "--extract-max-bytes",
  entries: "--extract-max-entries",
  ratio: "--extract-max-ratio",
} as const;

/** Counts what one archive produces and throws {@link ExtractLimitError} past a limit. */
export class ExtractBudget {
  readonly #file: string;
  readonly #compressedSize: number;
  readonly #limits: Readonly<Required<ExtractLimits>>;
  #bytes = 0;
  #entries = 0;

  /** A budget for the archive `file` of `compressedSize` bytes on disk. */
  constructor(file: string, compressedSize: number, limits: ExtractLimits = {}) {
    this.#file = file;
    this.#compressedSize = Math.max(1, compressedSize);
    this.#limits = { ...DEFAULT_EXTRACT_LIMITS, ...definedOnly(limits) };
  }

  /** Bytes counted so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries counted so far. */
  get entries(): number {
    return this.#entries;
  }

  /** Counts `n` more bytes produced; throws past the byte or ratio limit. */
  addBytes(n: number): void {
    this.#bytes += n;
    const { maxBytes, maxRatio, ratioAfterBytes } = this.#limits;
    if (this.#bytes > maxBytes) {
      throw new ExtractLimitError(
        this.#file,
        "bytes",
        `it produced more than ${maxBytes} bytes (the limit)`,
        FLAGS.bytes,
      );
    }
    const ratio = this.#bytes / this.#compressedSize;
    if (this.#bytes > ratioAfterBytes && ratio > maxRatio) {
      throw new ExtractLimitError(
        this.#file,
        "ratio",
        `${this.#bytes} bytes from ${this.#compressedSize} on disk exceeds the ratio limit of ${maxRatio}:1`,
        FLAGS.ratio,
      );
    }
  }

  /** Counts one member (and the holes of a sparse one); throws past the entry or byte limit. */
  addEntry(entry: TarEntry): void {
    this.#entries++;
    if (this.#entries > this.#limits.maxEntries) {
      throw new ExtractLimitError(
        this.#file,
        "entries",
        `it holds more than ${this.#limits.maxEntries} members (the limit)`,
        FLAGS.entries,
      );
    }
    if (entry.sparse) {
      const stored = entry.sparse.reduce((sum, segment) => sum + segment.size, 0);
      this.addBytes(Math.max(0, entry.size - stored));
    }
  }

  /** `chunks`, counted as they pass: the producer stops at the first chunk past a limit. */
  async *count(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      this.addBytes(chunk.length);
      yield chunk;
    }
  }

  /** `handler`, with each member counted before it is written. */
  guard(handler: TarHandler): TarHandler {
    return {
      entry: (entry: TarEntry): TarDataSink | undefined | Promise<TarDataSink | undefined> => {
        this.addEntry(entry);
        return handler.entry(entry);
      },
    };
  }
}

/** `limits` without its undefined fields (so they do not override the defaults). */
function definedOnly(limits: ExtractLimits): ExtractLimits {
  return Object.fromEntries(
    Object.entries(limits).filter(([, value]) => value !== undefined),
  ) as ExtractLimits;
}
