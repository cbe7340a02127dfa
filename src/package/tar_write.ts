/**
 * A deterministic tar writer for packages: ustar headers (a pax `path` /
 * `linkpath` record when a name does not fit), owner 0/0 `root`/`root`,
 * one fixed mtime, members in the order given, two zero blocks at the end.
 * The same members always give the same bytes.
 *
 * @module
 */

const encoder = new TextEncoder();

/** One member to write. */
export interface TarMember {
  /** Relative path, `/`-separated (directories without a trailing slash). */
  readonly path: string;
  /** What it is. */
  readonly type: "file" | "dir" | "symlink";
  /** Permission bits. */
  readonly mode: number;
  /** Content size (files). */
  readonly size: number;
  /** Symlink target. */
  readonly target?: string;
}

/** Writes `value` as zero-padded octal into `field` (length - 1 digits and a NUL). */
function putOctal(block: Uint8Array, at: number, length: number, value: number): void {
  block.set(encoder.encode(value.toString(8).padStart(length - 1, "0") + "\0"), at);
}

/** Writes `text` (at most `length` bytes) into the block. */
function putText(block: Uint8Array, at: number, length: number, text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  block.set(bytes.subarray(0, length), at);
}

/** Splits a path into ustar `prefix` and `name`, or `null` when it fits neither way. */
function splitUstar(path: string): [string, string] | null {
  const bytes = encoder.encode(path);
  if (bytes.length <= 100) return ["", path];
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== "/") continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100 && name) {
      return [prefix, name];
    }
  }
  return null;
}

/** One ustar header block. */
function header(
  name: string,
  prefix: string,
  typeflag: string,
  mode: number,
  size: number,
  mtime: number,
  linkname = "",
): Uint8Array {
  const block = new Uint8Array(512);
  putText(block, 0, 100, name);
  putOctal(block, 100, 8, mode);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, size);
  putOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156);
  putText(block, 156, 1, typeflag);
  putText(block, 157, 100, linkname);
  putText(block, 257, 6, "ustar\0");
  putText(block, 263, 2, "00");
  putText(block, 265, 32, "root");
  putText(block, 297, 32, "root");
  putOctal(block, 329, 8, 0);
  putOctal(block, 337, 8, 0);
  putText(block, 345, 155, prefix);
  let sum = 0;
  for (const b of block) sum += b;
  block.set(encoder.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return block;
}

/** A pax record `"<len> key=value\n"`, its length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = encoder.encode(body).length + 1;
  while (String(len).length + encoder.encode(body).length !== len) len++;
  return `${len}${body}`;
}

/** Pads `size` bytes of data to whole blocks: the zero bytes to add. */
export function padding(size: number): Uint8Array {
  return new Uint8Array((512 - (size % 512)) % 512);
}

/** The header block(s) of `member` (a pax header first when a name does not fit ustar). */
export function memberHeader(member: TarMember, mtime: number): Uint8Array[] {
  const name = member.type === "dir" ? `${member.path}/` : member.path;
  const split = splitUstar(name);
  const target = member.target ?? "";
  const records: string[] = [];
  if (!split) records.push(paxRecord("path", name));
  if (encoder.encode(target).length > 100) records.push(paxRecord("linkpath", target));
  const out: Uint8Array[] = [];
  if (records.length) {
    const data = encoder.encode(records.join(""));
    const paxName = `PaxHeaders/${encoder.encode(name).length > 80 ? "long" : name}`.slice(0, 99);
    out.push(header(paxName, "", "x", 0o644, data.length, mtime), data, padding(data.length));
  }
  const [prefix, short] = split ?? ["", name.slice(-99)];
  const typeflag = member.type === "dir" ? "5" : member.type === "symlink" ? "2" : "0";
  const size = member.type === "file" ? member.size : 0;
  out.push(header(short, prefix, typeflag, member.mode, size, mtime, target.slice(0, 100)));
  return out;
}

/** The end of an archive: two zero blocks. */
export const TAR_END: Uint8Array = new Uint8Array(1024);
