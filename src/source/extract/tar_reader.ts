/**
 * A streaming tar reader: ustar, GNU long names (`L`, `K`) and pax headers
 * (`x`, `g`: path, linkpath, size, mtime). It pushes each member to a
 * {@link TarHandler} with its data in chunks, never holding a whole member
 * in memory.
 *
 * @module
 */

import { tarChecksumValid } from "./detect.ts";

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
  /** The member path as stored. */
  readonly path: string;
  /** Its kind. */
  readonly type: TarEntryType;
  /** The raw type flag, e.g. `0`, `5`, `S`. */
  readonly typeflag: string;
  /** Permission bits. */
  readonly mode: number;
  /** Data size in bytes (0 for anything but files). */
  readonly size: number;
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
  /** Receives the next chunk of data (synchronously, or with a promise to wait for). */
  write(chunk: Uint8Array): void | Promise<void>;
  /** Called once all data was written. */
  close(): void | Promise<void>;
}

/** Raised for a corrupt or truncated tar stream. */
export class TarFormatError extends Error {}

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
};

const decoder = new TextDecoder();

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end >= 0 ? field.subarray(0, end) : field);
}

function octal(block: Uint8Array, start: number, length: number): number {
  if (block[start] & 0x80) {
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const field = text(block, start, length).trim();
  return field === "" ? 0 : parseInt(field, 8);
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const length = parseInt(decoder.decode(data.subarray(pos, space)), 10);
    if (!(length > 0)) break;
    const record = decoder.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return out;
}

interface Pending {
  longName?: string;
  longLink?: string;
  pax: Record<string, string>;
}

/** Reads the tar stream `chunks`, calling `handler` for every member in order. */
export async function readTar(
  chunks: AsyncIterable<Uint8Array>,
  handler: TarHandler,
): Promise<void> {
  const header = new Uint8Array(512);
  let headerFill = 0;
  let remaining = 0; // data bytes left in the current member
  let padding = 0; // padding bytes left after it
  let sink: TarDataSink | undefined;
  let meta: { kind: string; parts: Uint8Array[]; size: number } | undefined;
  let globalPax: Record<string, string> = {};
  let pending: Pending = { pax: {} };
  let ended = false;
  const startMember = async () => {
    if (header.every((b) => b === 0)) {
      ended = true;
      return;
    }
    if (!tarChecksumValid(header)) throw new TarFormatError("bad tar header checksum");
    const typeflag = String.fromCharCode(header[156]);
    let size = octal(header, 124, 12);
    if (typeflag === "L" || typeflag === "K" || typeflag === "x" || typeflag === "g") {
      meta = { kind: typeflag, parts: [], size };
    } else {
      const entry = buildEntry(header, typeflag, pending, globalPax);
      pending = { pax: {} };
      size = entry.size;
      sink = await handler.entry(entry);
    }
    remaining = size;
    padding = (512 - (size % 512)) % 512;
    if (remaining === 0) await endMember();
  };
  const endMember = async () => {
    if (meta) {
      const data = concat(meta.parts, meta.size);
      if (meta.kind === "L") pending.longName = text(data, 0, data.length);
      else if (meta.kind === "K") pending.longLink = text(data, 0, data.length);
      else if (meta.kind === "x") pending.pax = { ...pending.pax, ...parsePax(data) };
      else globalPax = { ...globalPax, ...parsePax(data) };
      meta = undefined;
    } else if (sink) {
      const pending = sink.close();
      sink = undefined;
      if (pending) await pending;
    }
  };
  for await (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length && !ended) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - pos);
        const piece = chunk.subarray(pos, pos + n);
        if (meta) meta.parts.push(piece.slice());
        else if (sink) {
          const pending = sink.write(piece);
          if (pending) await pending;
        }
        remaining -= n;
        pos += n;
        if (remaining === 0) await endMember();
      } else if (padding > 0) {
        const n = Math.min(padding, chunk.length - pos);
        padding -= n;
        pos += n;
      } else {
        const n = Math.min(512 - headerFill, chunk.length - pos);
        header.set(chunk.subarray(pos, pos + n), headerFill);
        headerFill += n;
        pos += n;
        if (headerFill === 512) {
          headerFill = 0;
          await startMember();
        }
      }
    }
    if (ended) break;
  }
  if (!ended && (remaining > 0 || headerFill > 0 || meta || sink)) {
    throw new TarFormatError("the tar stream ends in the middle of a member");
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function buildEntry(
  header: Uint8Array,
  typeflag: string,
  pending: Pending,
  globalPax: Record<string, string>,
): TarEntry {
  const pax = { ...globalPax, ...pending.pax };
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
