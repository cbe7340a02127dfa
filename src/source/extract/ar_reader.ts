/**
 * A streaming reader of `ar` archives (a `.deb`, a static library `.a`):
 * common, GNU (`name/`, the `//` long-name table) and BSD (`#1/len`) member
 * names. Symbol tables (`/`, `/SYM64/`, `__.SYMDEF`) are skipped. Members are
 * pushed to the same {@link TarHandler} the tar reader feeds, as regular
 * files with their mode and mtime, which is how libarchive (and so
 * makepkg's bsdtar) extracts them. A thin archive (`!<thin>`) holds no data
 * and is an error.
 *
 * @module
 */

import { TarFormatError } from "./_tar_fields.ts";
import type { TarEntry, TarHandler } from "./tar_reader.ts";

const HEADER_SIZE = 60;
const decoder = new TextDecoder();

/** Pull-style reads over a stream of chunks a producer may reuse. */
class ChunkReader {
  readonly #chunks: AsyncIterator<Uint8Array>;
  #chunk: Uint8Array = new Uint8Array(0);
  #at = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** Whether bytes are available (reading the next chunk when needed). */
  async more(): Promise<boolean> {
    while (this.#at >= this.#chunk.length) {
      const next = await this.#chunks.next();
      if (next.done) return false;
      this.#chunk = next.value;
      this.#at = 0;
    }
    return true;
  }

  /** Passes the next `n` bytes to `fn` in pieces (each valid only during the call). */
  async each(n: number, fn: (piece: Uint8Array) => void | Promise<void>): Promise<void> {
    while (n > 0) {
      if (!(await this.more())) throw new TarFormatError("the ar archive ends in a member");
      const piece = this.#chunk.subarray(this.#at, this.#at + n);
      this.#at += piece.length;
      n -= piece.length;
      await fn(piece);
    }
  }

  /** The next `n` bytes, copied. */
  async read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let filled = 0;
    await this.each(n, (piece) => {
      out.set(piece, filled);
      filled += piece.length;
    });
    return out;
  }
}

function field(header: Uint8Array, start: number, length: number): string {
  return decoder.decode(header.subarray(start, start + length)).trimEnd();
}

function number(header: Uint8Array, start: number, length: number, radix: number): number {
  const text = field(header, start, length);
  if (text === "") return 0;
  const value = parseInt(text, radix);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new TarFormatError(`bad number ${JSON.stringify(text)} in an ar member header`);
  }
  return value;
}

/** The member name `raw` stands for, given the GNU long-name table. */
function memberName(raw: string, longNames: string | undefined): string {
  const long = /^\/(\d+)$/.exec(raw);
  if (long) {
    const offset = Number(long[1]);
    const end = longNames?.indexOf("/\n", offset) ?? -1;
    if (longNames === undefined || offset >= longNames.length || end < 0) {
      throw new TarFormatError(`ar member name ${raw} points outside the long-name table`);
    }
    return longNames.slice(offset, end);
  }
  return raw.endsWith("/") ? raw.slice(0, -1) : raw;
}

/** Whether a member is a symbol table, which holds no file. */
function isSymbolTable(raw: string): boolean {
  return raw === "/" || raw === "/SYM64/" || raw.startsWith("__.SYMDEF");
}

/** Reads the ar archive `chunks`, calling `handler` for every file member in order. */
export async function readAr(
  chunks: AsyncIterable<Uint8Array>,
  handler: TarHandler,
): Promise<void> {
  const reader = new ChunkReader(chunks);
  const magic = decoder.decode(await reader.read(8));
  if (magic === "!<thin>\n") throw new TarFormatError("a thin ar archive holds no member data");
  if (magic !== "!<arch>\n") throw new TarFormatError("not an ar archive");
  let longNames: string | undefined;
  while (await reader.more()) {
    const header = await reader.read(HEADER_SIZE);
    if (header[58] !== 0x60 || header[59] !== 0x0a) {
      throw new TarFormatError("bad ar member header (no terminator)");
    }
    const raw = field(header, 0, 16);
    const size = number(header, 48, 10, 10);
    const padding = size % 2;
    if (raw === "//") {
      longNames = decoder.decode(await reader.read(size));
    } else if (isSymbolTable(raw)) {
      await reader.each(size, () => {});
    } else {
      let name: string;
      let dataSize = size;
      const bsd = /^#1\/(\d+)$/.exec(raw);
      if (bsd) {
        const length = Number(bsd[1]);
        if (length > size) throw new TarFormatError(`ar member name ${raw} is longer than it`);
        name = decoder.decode(await reader.read(length)).replace(/\0+$/, "");
        dataSize -= length;
      } else name = memberName(raw, longNames);
      if (name === "") throw new TarFormatError("ar member with an empty name");
      const entry: TarEntry = {
        path: name,
        type: "file",
        typeflag: "0",
        mode: number(header, 40, 8, 8) & 0o7777,
        size: dataSize,
        mtime: number(header, 16, 12, 10),
        linkname: "",
      };
      const sink = await handler.entry(entry);
      await reader.each(dataSize, (piece) => sink?.write(piece));
      await sink?.close();
    }
    if (padding && await reader.more()) await reader.each(padding, () => {});
  }
}
