/**
 * A streaming tar reader: ustar, GNU long names (`L`, `K`), pax headers
 * (`x`, `g`: path, linkpath, size, mtime) and GNU sparse files in every
 * encoding bsdtar reads (old GNU type `S` with extension blocks, pax 0.0,
 * 0.1 and 1.0). It pushes each member to a {@link TarHandler} with its data
 * in chunks, never holding a whole member in memory (only a pax 1.0 sparse
 * map is buffered, as numbers).
 *
 * @module
 */

import { setImmediate } from "node:timers";
import { tarChecksumValid } from "./detect.ts";
import { concat, octal, parsePax, TarFormatError, text } from "./_tar_fields.ts";
import {
  checkSparseMap,
  MAX_SPARSE_SEGMENTS,
  oldGnuSparseExtension,
  oldGnuSparseHeader,
  paxSparse,
  SparseMap10Reader,
  type TarSparseSegment,
} from "./_tar_sparse.ts";

export { TarFormatError } from "./_tar_fields.ts";
export type { TarSparseSegment } from "./_tar_sparse.ts";

/** The kind of a tar member. */
export type TarEntryType =
  | "file"
  | "directory"
  | "symlink"
  | "hardlink"
  | "character-device"
  | "block-device"
  | "fifo"
  | "unsupported";

/** One tar member's header, with long names and pax overrides applied. */
export interface TarEntry {
  /** The member path as stored (for a sparse file, `GNU.sparse.name` when given). */
  readonly path: string;
  /** Its kind. */
  readonly type: TarEntryType;
  /** The raw type flag, e.g. `0`, `5`, `S`. */
  readonly typeflag: string;
  /** Permission bits. */
  readonly mode: number;
  /**
   * The file's size in bytes (0 for anything but files). For a sparse file
   * this is its real size; the data the sink receives is only the sum of
   * the `sparse` segment sizes.
   */
  readonly size: number;
  /**
   * For a sparse file only: where its data goes, in increasing offset order,
   * never overlapping, all within `size`. The sink receives the segments'
   * data back to back; everything between them (and after the last, up to
   * `size`) is a hole of zeros.
   */
  readonly sparse?: readonly TarSparseSegment[];
  /** Modification time, seconds since the epoch. */
  readonly mtime: number;
  /** Target of a symlink or hard link. */
  readonly linkname: string;
}

/** Receives tar members; a returned sink receives the member's data. */
export interface TarHandler {
  /** Called for each member; return a sink for its data (files), or undefined to skip it. */
  entry(entry: TarEntry): TarDataSink | undefined | Promise<TarDataSink | undefined>;
}

/** Receives one member's data. */
export interface TarDataSink {
  /**
   * Receives the next chunk of data (synchronously, or with a promise to wait
   * for). The chunk may be reused by the producer once `write` returns (or its
   * promise settles): copy anything kept.
   */
  write(chunk: Uint8Array): void | Promise<void>;
  /** Called once all data was written. */
  close(): void | Promise<void>;
}

const TYPES: Record<string, TarEntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "character-device",
  "4": "block-device",
  "5": "directory",
  "6": "fifo",
  "S": "file",
};

/** Pax keys that may repeat and whose order matters (GNU sparse format 0.0). */
const ORDERED_PAX_KEYS = new Set(["GNU.sparse.offset", "GNU.sparse.numbytes"]);

/** What the extension headers before a member said about it. */
interface Pending {
  longName?: string;
  longLink?: string;
  pax: Record<string, string>;
  /** The repeated, ordered pax records (GNU sparse 0.0). */
  paxOrdered: [string, string][];
}

/** No pax records (shared, never written to). */
const NO_PAX: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** What no extension header said (shared, never written to). */
const NO_PENDING: Pending = Object.freeze({ pax: NO_PAX, paxOrdered: [] });

/** An old GNU sparse member whose extension blocks are still being read. */
interface OldGnuPending {
  readonly entry: TarEntry;
  readonly dataSize: number;
  readonly realSize: number;
  readonly segments: { offset: number; size: number }[];
}

/** A pax 1.0 sparse member whose map (at the start of its data) is still being read. */
interface MapPending {
  readonly entry: TarEntry;
  readonly realSize: number;
  readonly reader: SparseMap10Reader;
}

/** Reads the tar stream `chunks`, calling `handler` for every member in order. */
export async function readTar(
  chunks: AsyncIterable<Uint8Array>,
  handler: TarHandler,
): Promise<void> {
  const stream = new TarStream(handler);
  let sinceYield = 0;
  for await (const chunk of chunks) {
    const pending = stream.push(chunk);
    if (pending) await pending;
    if (stream.ended) break;
    // Writing is synchronous: let timers and signal handlers (Ctrl-C) run now and then.
    if ((sinceYield += chunk.length) >= YIELD_EVERY) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  stream.finish();
}

/**
 * The result of a step of the reader: nothing when the step is done, or a
 * promise when a handler or sink answered with one. Steps stay synchronous
 * while the handler and sinks are (the extractor's are): no promise is made
 * per member (a promise and a microtask per `await` of every step was the
 * reader's own cost per member of a tree of small files).
 */
type Step = void | Promise<void>;

/** How many bytes of tar stream are written between turns of the event loop. */
const YIELD_EVERY = 8 << 20;

/** The reader's state machine: header blocks, member data, padding. */
class TarStream {
  /** True once the end-of-archive block was read. */
  ended = false;
  readonly #handler: TarHandler;
  readonly #block = new Uint8Array(512);
  #blockFill = 0;
  #remaining = 0; // data bytes left in the current member
  #padding = 0; // padding bytes left after it
  #sink: TarDataSink | undefined;
  #meta: { kind: string; parts: Uint8Array[]; size: number } | undefined;
  #oldGnu: OldGnuPending | undefined;
  #map: MapPending | undefined;
  #globalPax: Record<string, string> = NO_PAX;
  /** What extension headers said about the next member; `undefined` when none did (the common case). */
  #pending: Pending | undefined;

  constructor(handler: TarHandler) {
    this.#handler = handler;
  }

  /** Consumes one chunk of the stream (never keeping a reference to it); a promise only when a step is asynchronous. */
  push(chunk: Uint8Array): Step {
    return this.#pushFrom(chunk, 0);
  }

  #pushFrom(chunk: Uint8Array, start: number): Step {
    let pos = start;
    while (pos < chunk.length && !this.ended) {
      let step: Step = undefined;
      if (this.#remaining > 0) {
        const bytes = chunk.subarray(pos, pos + this.#remaining);
        if (this.#map) {
          const n = this.#map.reader.push(bytes);
          pos += n;
          step = this.#mapData(n);
        } else {
          pos += bytes.length;
          step = this.#data(bytes);
        }
      } else if (this.#padding > 0) {
        const n = Math.min(this.#padding, chunk.length - pos);
        this.#padding -= n;
        pos += n;
      } else {
        const n = Math.min(512 - this.#blockFill, chunk.length - pos);
        this.#block.set(chunk.subarray(pos, pos + n), this.#blockFill);
        this.#blockFill += n;
        pos += n;
        if (this.#blockFill === 512) {
          this.#blockFill = 0;
          step = this.#oldGnu ? this.#oldGnuExtension() : this.#header();
        }
      }
      if (step) {
        const at = pos;
        return step.then(() => this.#pushFrom(chunk, at));
      }
    }
  }

  /** Fails unless the stream ended between members. */
  finish(): void {
    if (
      !this.ended &&
      (this.#remaining > 0 || this.#blockFill > 0 || this.#meta || this.#sink || this.#oldGnu ||
        this.#map)
    ) {
      throw new TarFormatError("the tar stream ends in the middle of a member");
    }
  }

  /** After `n` bytes of a pax 1.0 sparse map were read: opens the member once the map is complete. */
  #mapData(n: number): Step {
    const map = this.#map!;
    this.#remaining -= n;
    if (map.reader.done) return this.#openSparse10(map);
    if (this.#remaining === 0) {
      throw new TarFormatError(`the sparse map of ${map.entry.path} is truncated`);
    }
  }

  /** Takes `bytes`, member data (no more than what is left of the member). */
  #data(bytes: Uint8Array): Step {
    const n = bytes.length;
    if (this.#meta) this.#meta.parts.push(bytes.slice());
    else if (this.#sink) {
      const written = this.#sink.write(bytes);
      if (written) return written.then(() => this.#taken(n));
    }
    return this.#taken(n);
  }

  /** After `n` bytes of member data were taken: ends the member after its last. */
  #taken(n: number): Step {
    this.#remaining -= n;
    if (this.#remaining === 0) return this.#endMember();
  }

  #header(): Step {
    const header = this.#block;
    if (header[0] === 0 && header.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!tarChecksumValid(header)) throw new TarFormatError("bad tar header checksum");
    const typeflag = String.fromCharCode(header[156]);
    if (typeflag === "L" || typeflag === "K" || typeflag === "x" || typeflag === "g") {
      const size = octal(header, 124, 12);
      this.#meta = { kind: typeflag, parts: [], size };
      return this.#beginData(size);
    }
    const pending = this.#pending ?? NO_PENDING;
    this.#pending = undefined;
    const entry = buildEntry(header, typeflag, pending, this.#globalPax);
    const dataSize = entry.size;
    if (typeflag === "S") {
      const old = oldGnuSparseHeader(header);
      this.#oldGnu = { entry, dataSize, realSize: old.realSize, segments: old.segments };
      if (!old.extended) return this.#openOldGnu();
      return;
    }
    const sparse = entry.type === "file" ? paxSparse(pending.pax, pending.paxOrdered) : undefined;
    if (!sparse) return this.#beginData(dataSize, entry);
    const named = sparse.name === undefined ? entry : { ...entry, path: sparse.name };
    if (sparse.segments) {
      const map = checkSparseMap(sparse.segments, sparse.realSize, dataSize, named.path);
      return this.#beginData(dataSize, { ...named, size: sparse.realSize, sparse: map });
    }
    if (dataSize === 0) throw new TarFormatError(`the sparse map of ${named.path} is missing`);
    this.#map = { entry: named, realSize: sparse.realSize, reader: new SparseMap10Reader() };
    this.#setData(dataSize);
  }

  #oldGnuExtension(): Step {
    const old = this.#oldGnu!;
    const more = oldGnuSparseExtension(this.#block);
    old.segments.push(...more.segments);
    if (old.segments.length > MAX_SPARSE_SEGMENTS) {
      throw new TarFormatError(
        `the sparse map of ${old.entry.path} has more than ${MAX_SPARSE_SEGMENTS} entries`,
      );
    }
    if (!more.extended) return this.#openOldGnu();
  }

  #openOldGnu(): Step {
    const { entry, dataSize, realSize, segments } = this.#oldGnu!;
    this.#oldGnu = undefined;
    const map = checkSparseMap(segments, realSize, dataSize, entry.path);
    return this.#beginData(dataSize, { ...entry, size: realSize, sparse: map });
  }

  #openSparse10(pending: MapPending): Step {
    this.#map = undefined;
    const { entry, realSize, reader } = pending;
    const map = checkSparseMap(reader.segments, realSize, this.#remaining, entry.path);
    return this.#open({ ...entry, size: realSize, sparse: map }, this.#remaining === 0);
  }

  /** Starts `size` bytes of member data (and its padding), handing `entry` to the handler. */
  #beginData(size: number, entry?: TarEntry): Step {
    this.#setData(size);
    if (entry) return this.#open(entry, size === 0);
    if (size === 0) return this.#endMember();
  }

  /** Hands `entry` to the handler and keeps its sink; ends the member at once when it has no data. */
  #open(entry: TarEntry, empty: boolean): Step {
    const sink = this.#handler.entry(entry);
    if (sink instanceof Promise) return sink.then((value) => this.#opened(value, empty));
    return this.#opened(sink, empty);
  }

  #opened(sink: TarDataSink | undefined, empty: boolean): Step {
    this.#sink = sink;
    if (empty) return this.#endMember();
  }

  #setData(size: number): void {
    this.#remaining = size;
    this.#padding = (512 - (size % 512)) % 512;
  }

  #endMember(): Step {
    const meta = this.#meta;
    if (meta) {
      this.#meta = undefined;
      const data = concat(meta.parts, meta.size);
      const pending = (this.#pending ??= { pax: {}, paxOrdered: [] });
      if (meta.kind === "L") pending.longName = text(data, 0, data.length);
      else if (meta.kind === "K") pending.longLink = text(data, 0, data.length);
      else if (meta.kind === "g") {
        this.#globalPax = { ...this.#globalPax, ...Object.fromEntries(parsePax(data)) };
      } else {
        for (const [key, value] of parsePax(data)) {
          if (ORDERED_PAX_KEYS.has(key)) pending.paxOrdered.push([key, value]);
          pending.pax[key] = value;
        }
      }
    } else if (this.#sink) {
      const sink = this.#sink;
      this.#sink = undefined;
      return sink.close();
    }
  }
}

function buildEntry(
  header: Uint8Array,
  typeflag: string,
  pending: Pending,
  globalPax: Record<string, string>,
): TarEntry {
  const pax = globalPax === NO_PAX ? pending.pax : { ...globalPax, ...pending.pax };
  let path = text(header, 0, 100);
  if (text(header, 257, 6) === "ustar") {
    const prefix = text(header, 345, 155);
    if (prefix !== "") path = `${prefix}/${path}`;
  }
  path = pax.path ?? pending.longName ?? path;
  const linkname = pax.linkpath ?? pending.longLink ?? text(header, 157, 100);
  let type = TYPES[typeflag] ?? "unsupported";
  if (type === "file" && path.endsWith("/")) type = "directory";
  const size = pax.size !== undefined ? Number(pax.size) : octal(header, 124, 12);
  const mtime = pax.mtime !== undefined ? Number(pax.mtime) : octal(header, 136, 12);
  return { path, type, typeflag, mode: octal(header, 100, 8) & 0o7777, size, mtime, linkname };
}
