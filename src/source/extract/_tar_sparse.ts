/**
 * GNU sparse members, read as bsdtar reads them: the old GNU format (type
 * `S`, map in the header and its extension blocks) and the pax formats 0.0
 * (`GNU.sparse.offset`/`GNU.sparse.numbytes` records), 0.1
 * (`GNU.sparse.map`) and 1.0 (map at the start of the member data). Every
 * map is checked before the member reaches a handler.
 *
 * @module
 */

import { strictNumber, TarFormatError } from "./_tar_fields.ts";

/** One data segment of a sparse file: `size` bytes of data belonging at `offset`. */
export interface TarSparseSegment {
  /** Where the segment starts in the file. */
  readonly offset: number;
  /** Its length in bytes (never 0). */
  readonly size: number;
}

/** The most map entries one member may have (about 16 MB of map held in memory). */
export const MAX_SPARSE_SEGMENTS = 1_000_000;

/** A map as stored, before it is checked. */
type RawSegment = { offset: number; size: number };

/** The old GNU sparse map in a header or extension block, and whether another block follows. */
export interface OldGnuSparse {
  /** The entries read from this block. */
  readonly segments: RawSegment[];
  /** True when an extension block follows. */
  readonly extended: boolean;
}

function oldGnuEntries(
  block: Uint8Array,
  start: number,
  count: number,
  flag: number,
): OldGnuSparse {
  const segments: RawSegment[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * 24;
    if (block[at] === 0) break; // an empty offset field ends the map, as in libarchive
    segments.push({
      offset: strictNumber(block, at, 12, "a sparse map offset"),
      size: strictNumber(block, at + 12, 12, "a sparse map size"),
    });
  }
  return { segments, extended: block[flag] !== 0 };
}

/** The map of an old GNU `S` header (4 entries at 386, `isextended` at 482). */
export function oldGnuSparseHeader(header: Uint8Array): OldGnuSparse & { realSize: number } {
  return {
    ...oldGnuEntries(header, 386, 4, 482),
    realSize: strictNumber(header, 483, 12, "the real size of a sparse file"),
  };
}

/** The map of an old GNU sparse extension block (21 entries, `isextended` at 504). */
export function oldGnuSparseExtension(block: Uint8Array): OldGnuSparse {
  return oldGnuEntries(block, 0, 21, 504);
}

/** What the pax records of one member say about its sparseness. */
export interface PaxSparse {
  /** The GNU sparse format version. */
  readonly version: "0.0" | "0.1" | "1.0";
  /** The real file name (`GNU.sparse.name`), when given. */
  readonly name?: string;
  /** The real file size. */
  readonly realSize: number;
  /** The map (0.0 and 0.1); 1.0 keeps it at the start of the member data. */
  readonly segments?: RawSegment[];
}

function decimal(value: string, what: string): number {
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new TarFormatError(`${what} is not a decimal number: ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Reads the GNU sparse records of a member's pax headers: `pax` holds the
 * last value of every key, `ordered` the `GNU.sparse.offset` and
 * `GNU.sparse.numbytes` records in order (format 0.0 repeats them).
 */
export function paxSparse(
  pax: Record<string, string>,
  ordered: readonly (readonly [string, string])[],
): PaxSparse | undefined {
  const name = pax["GNU.sparse.name"];
  const named = name === undefined ? {} : { name };
  const size = (key: string) => {
    const value = pax[key];
    if (value === undefined) throw new TarFormatError(`a sparse member has no ${key} record`);
    return decimal(value, key);
  };
  if (pax["GNU.sparse.major"] === "1" && pax["GNU.sparse.minor"] === "0") {
    return { version: "1.0", ...named, realSize: size("GNU.sparse.realsize") };
  }
  if (pax["GNU.sparse.map"] !== undefined) {
    const map = pax["GNU.sparse.map"];
    const numbers = map === "" ? [] : map.split(",").map((n) => decimal(n, "GNU.sparse.map"));
    if (numbers.length % 2 !== 0) {
      throw new TarFormatError("GNU.sparse.map has an odd number of values");
    }
    const segments = pairs(numbers);
    return { version: "0.1", ...named, realSize: size("GNU.sparse.size"), segments };
  }
  if (ordered.length > 0) {
    const segments: RawSegment[] = [];
    let offset: number | undefined;
    for (const [key, value] of ordered) {
      const n = decimal(value, key);
      if (key === "GNU.sparse.offset") offset = n;
      else if (offset === undefined) {
        throw new TarFormatError("GNU.sparse.numbytes comes without a GNU.sparse.offset before it");
      } else {
        segments.push({ offset, size: n });
        offset = undefined;
      }
      if (segments.length > MAX_SPARSE_SEGMENTS) throw tooMany();
    }
    return { version: "0.0", ...named, realSize: size("GNU.sparse.size"), segments };
  }
  return undefined;
}

function pairs(numbers: number[]): RawSegment[] {
  if (numbers.length / 2 > MAX_SPARSE_SEGMENTS) throw tooMany();
  const out: RawSegment[] = [];
  for (let i = 0; i < numbers.length; i += 2) {
    out.push({ offset: numbers[i], size: numbers[i + 1] });
  }
  return out;
}

function tooMany(): TarFormatError {
  return new TarFormatError(`the sparse map has more than ${MAX_SPARSE_SEGMENTS} entries`);
}

/**
 * Reads a pax 1.0 sparse map from the start of the member data: the count,
 * then offset and size of each segment, decimal numbers each ending in a
 * newline, padded to a multiple of 512 bytes. Fed piece by piece; copies
 * nothing but the digits of the number being read.
 */
export class SparseMap10Reader {
  readonly #numbers: number[] = [];
  #count = -1;
  #digits = "";
  #consumed = 0;
  #end = -1;

  /** True once the map and its padding were read. */
  get done(): boolean {
    return this.#end >= 0 && this.#consumed === this.#end;
  }

  /** Bytes of member data the map took, padding included. */
  get consumed(): number {
    return this.#consumed;
  }

  /** The map read (once done). */
  get segments(): RawSegment[] {
    return pairs(this.#numbers);
  }

  /** Takes map bytes from the start of `bytes`; returns how many it took (all, unless done). */
  push(bytes: Uint8Array): number {
    let pos = 0;
    while (pos < bytes.length && this.#end < 0) {
      const byte = bytes[pos++];
      this.#consumed++;
      if (byte >= 0x30 && byte <= 0x39) {
        this.#digits += String.fromCharCode(byte);
        if (this.#digits.length > 16) throw new TarFormatError("a sparse map number is too large");
      } else if (byte === 0x0a) {
        this.#number(decimal(this.#digits, "a sparse map number"));
        this.#digits = "";
      } else {
        throw new TarFormatError(`the sparse map holds the byte ${byte}, not a decimal number`);
      }
    }
    const padding = Math.min(this.#end - this.#consumed, bytes.length - pos);
    if (this.#end >= 0 && padding > 0) {
      this.#consumed += padding;
      pos += padding;
    }
    return pos;
  }

  #number(n: number): void {
    if (this.#count < 0) {
      if (n > MAX_SPARSE_SEGMENTS) throw tooMany();
      this.#count = n;
    } else this.#numbers.push(n);
    if (this.#numbers.length === this.#count * 2) this.#end = Math.ceil(this.#consumed / 512) * 512;
  }
}

/**
 * Checks a sparse map against the real size and the stored data size:
 * segments in increasing order without overlap, none beyond the real size,
 * their sizes adding up to the data stored. Returns the non-empty segments.
 */
export function checkSparseMap(
  segments: readonly RawSegment[],
  realSize: number,
  dataSize: number,
  path: string,
): TarSparseSegment[] {
  const fail = (what: string) => new TarFormatError(`the sparse map of ${path} ${what}`);
  let end = 0;
  let total = 0;
  for (const { offset, size } of segments) {
    if (offset < end) {
      throw fail(`goes backwards: a segment at ${offset} starts before ${end}, the previous end`);
    }
    if (offset + size > realSize) {
      throw fail(`reaches ${offset + size}, beyond the real file size ${realSize}`);
    }
    end = offset + size;
    total += size;
  }
  if (total !== dataSize) {
    throw fail(`covers ${total} bytes of data but the member stores ${dataSize}`);
  }
  return segments.filter((s) => s.size > 0).map(({ offset, size }) => ({ offset, size }));
}
