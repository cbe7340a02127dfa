/**
 * A minimal ustar writer for tests: builds the hostile archives no sane tool
 * makes (traversal, absolute paths, symlink and hard-link escapes, device
 * nodes), byte for byte; plus sparse files and GNU tar sparse archives in
 * every encoding, hand-edit helpers (checksum, same-length patches) and a
 * producer that reuses its chunk buffer.
 *
 * @module
 */

/** One member of a test tar. */
export interface TarMember {
  /** Member path, written as-is. */
  name: string;
  /** Type flag: `0` file, `1` hard link, `2` symlink, `3` char device, `5` directory, `6` fifo. */
  type?: "0" | "1" | "2" | "3" | "4" | "5" | "6";
  /** File content. */
  content?: string | Uint8Array;
  /** Link target for `1` and `2`. */
  linkname?: string;
  /** Permission bits. @default 0o644 */
  mode?: number;
  /** mtime in seconds. @default 1700000000 */
  mtime?: number;
}

import { crc32 } from "node:zlib";
import { join } from "node:path";
import { sh } from "./_helpers.ts";

const encoder = new TextEncoder();

function field(block: Uint8Array, offset: number, length: number, value: string): void {
  block.set(encoder.encode(value).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0") + "\0";
}

/** Builds a ustar archive from `members`. */
export function makeTar(members: TarMember[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const m of members) {
    const content = typeof m.content === "string"
      ? encoder.encode(m.content)
      : m.content ?? new Uint8Array();
    const header = new Uint8Array(512);
    field(header, 0, 100, m.name);
    field(header, 100, 8, octal(m.mode ?? (m.type === "5" ? 0o755 : 0o644), 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(content.length, 12));
    field(header, 136, 12, octal(m.mtime ?? 1700000000, 12));
    field(header, 148, 8, "        ");
    field(header, 156, 1, m.type ?? "0");
    field(header, 157, 100, m.linkname ?? "");
    field(header, 257, 6, "ustar\0");
    field(header, 263, 2, "00");
    let sum = 0;
    for (const b of header) sum += b;
    field(header, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
    blocks.push(header);
    if (content.length > 0) {
      const padded = new Uint8Array(Math.ceil(content.length / 512) * 512);
      padded.set(content);
      blocks.push(padded);
    }
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of blocks) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}

/** Builds a zip archive of stored (uncompressed) files, names written as-is. */
export function makeZip(files: { name: string; content: string }[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const f of files) {
    const name = encoder.encode(f.name);
    const data = encoder.encode(f.content);
    const crc = crc32(data);
    const local = new Uint8Array(30 + name.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(data, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 0x0314, true); // made by Unix
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(38, (0o100644 << 16) >>> 0, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Creates a file of `size` bytes with `data` written at the given offsets and holes everywhere else. */
export async function makeSparseFile(
  path: string,
  size: number,
  data: [offset: number, content: string][],
): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  for (const [offset, content] of data) {
    await file.seek(offset, Deno.SeekMode.Start);
    const bytes = encoder.encode(content);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
  }
  await file.truncate(size);
}

/** Recomputes the checksum of the tar header at `offset` in `archive` after a hand edit. */
export function fixTarChecksum(archive: Uint8Array, offset: number): void {
  const header = archive.subarray(offset, offset + 512);
  field(header, 148, 8, "        ");
  let sum = 0;
  for (const b of header) sum += b;
  field(header, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
}

/** Replaces the first occurrence of `from` in `archive` (after `start`) by `to`, same length; returns where. */
export function patchBytes(archive: Uint8Array, from: string, to: string, start = 0): number {
  if (from.length !== to.length) throw new Error("patchBytes() keeps the length");
  const needle = encoder.encode(from);
  for (let i = start; i + needle.length <= archive.length; i++) {
    if (needle.every((b, j) => archive[i + j] === b)) {
      archive.set(encoder.encode(to), i);
      return i;
    }
  }
  throw new Error(`${JSON.stringify(from)} is not in the archive`);
}

/**
 * Yields `bytes` in chunks of `size` through ONE reused buffer, scribbled
 * over after each chunk is consumed: a producer that reuses its buffers.
 */
export async function* reusedChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let offset = 0; offset < bytes.length; offset += size) {
    const n = Math.min(size, bytes.length - offset);
    buffer.set(bytes.subarray(offset, offset + n));
    yield buffer.subarray(0, n);
    buffer.fill(0xa5);
    await Promise.resolve();
  }
}

/** GNU tar's sparse encodings and the options that make each. */
export const SPARSE_ENCODINGS: Record<string, string[]> = {
  "old GNU": ["--format=gnu", "--sparse"],
  "pax 0.0": ["--format=posix", "--sparse-version=0.0"],
  "pax 0.1": ["--format=posix", "--sparse-version=0.1"],
  "pax 1.0": ["--format=posix", "--sparse-version=1.0"],
};

/** The mtime of everything {@link makeSparseTree} makes, but the symlink. */
export const SPARSE_MTIME = 1_600_000_000;
/** The mtime of the symlink {@link makeSparseTree} makes. */
export const SYMLINK_MTIME = 1_500_000_000;

/**
 * Makes `root/pkg` with sparse files: `holey` (10 MiB, data in the middle),
 * `tail-hole` (data, then a hole to the end), `many` (50 data blocks, more
 * than the 4 + 21 map entries of an old GNU header and its first extension
 * block, the last one ending the file), `all-hole` (no data at all), a
 * plain file, a symlink and a directory.
 */
export async function makeSparseTree(root: string): Promise<void> {
  const pkg = join(root, "pkg");
  await Deno.mkdir(join(pkg, "lib"), { recursive: true });
  await makeSparseFile(join(pkg, "holey"), 10 * 1024 * 1024, [[5_000_000, "data"]]);
  await makeSparseFile(join(pkg, "lib", "tail-hole"), 2 * 1024 * 1024, [[0, "head".repeat(100)]]);
  const many: [number, string][] = [];
  for (let i = 0; i < 49; i++) many.push([i * 65536, `segment ${i}`]);
  many.push([49 * 65536 + 100, "end!"]);
  await makeSparseFile(join(pkg, "many"), 49 * 65536 + 104, many);
  await makeSparseFile(join(pkg, "all-hole"), 3 * 1024 * 1024, []);
  await Deno.writeTextFile(join(pkg, "plain"), "plain\n");
  await Deno.chmod(join(pkg, "holey"), 0o755);
  await Deno.chmod(join(pkg, "many"), 0o600);
  await Deno.symlink("holey", join(pkg, "link"));
  await sh("find", [root, "-exec", "touch", "-h", "-d", `@${SPARSE_MTIME}`, "{}", "+"]);
  await sh("touch", ["-h", "-d", `@${SYMLINK_MTIME}`, join(pkg, "link")]);
}

/** Archives `root/pkg` with GNU tar in the sparse `encoding` (a {@link SPARSE_ENCODINGS} key). */
export async function makeSparseTar(root: string, encoding: string): Promise<Uint8Array> {
  const out = join(root, "sparse.tar");
  await sh("tar", [...SPARSE_ENCODINGS[encoding], "-cf", out, "-C", root, "pkg"]);
  try {
    return await Deno.readFile(out);
  } finally {
    await Deno.remove(out);
  }
}
