/**
 * What an archive says it will take once extracted, read from its own
 * headers without decoding it, for a free-space check before extraction:
 * a plain tar is its own size, gzip stores the size of its last member
 * (modulo 4 GiB) in its last four bytes, zstd may store a frame's content
 * size in the frame header. Each is a lower bound of what extraction
 * writes; undefined when the format does not say (xz, bzip2, zip, ...).
 *
 * @module
 */

import { assertFreeSpace } from "../protocols/free_space.ts";

/** A lower bound of the bytes extracting the file at `path` (of `format`, `size` bytes) writes. */
export async function declaredSize(
  path: string,
  format: string,
  size: number,
): Promise<number | undefined> {
  if (format === "tar" || format === "ar") return size;
  if (format === "gzip" && size >= 18) {
    const tail = await readRange(path, size - 4, 4);
    return new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  }
  if (format === "zstd") return zstdContentSize(await readRange(path, 0, 18));
  return undefined;
}

/** Throws `DISK_FULL` when `srcdir` cannot hold `declared` more bytes for the archive `name`. */
export async function assertRoomFor(
  srcdir: string,
  name: string,
  declared: number | undefined,
): Promise<void> {
  await assertFreeSpace(srcdir, declared, `the extraction of ${name}`);
}

/** The content size of a zstd frame header when it carries one (RFC 8878, 3.1.1.1). */
export function zstdContentSize(head: Uint8Array): number | undefined {
  if (head.length < 6) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  if (view.getUint32(0, true) !== 0xfd2fb528) return undefined;
  const descriptor = head[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictFlag = descriptor & 3;
  const fieldSize = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag];
  if (fieldSize === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictFlag];
  if (head.length < at + fieldSize) return undefined;
  if (fieldSize === 1) return view.getUint8(at);
  if (fieldSize === 2) return view.getUint16(at, true) + 256;
  if (fieldSize === 4) return view.getUint32(at, true);
  return Number(view.getBigUint64(at, true));
}

async function readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}
