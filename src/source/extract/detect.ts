/**
 * Format detection from content (magic bytes), never from the file name, as
 * makepkg does with `file -bizL`.
 *
 * @module
 */

/** A format recognised from its first bytes. */
export type ArchiveFormat =
  | "tar"
  | "zip"
  | "cpio"
  | "gzip"
  | "bzip2"
  | "xz"
  | "zstd"
  | "unknown";

/** The compressors whose output makepkg decompresses into a single file when it is not a tar. */
export const COMPRESSORS: readonly ArchiveFormat[] = ["gzip", "bzip2", "xz", "zstd"];

/** File extensions makepkg accepts for a single-file decompression, per compressor. */
export const SINGLE_FILE_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  gzip: ["gz", "z", "Z"],
  bzip2: ["bz2", "bz"],
  xz: ["xz"],
  zstd: ["zst"],
};

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Detects the format of a file from its first bytes (at least 512 for tar). */
export function detectFormat(head: Uint8Array): ArchiveFormat {
  if (startsWith(head, [0x1f, 0x8b])) return "gzip";
  if (startsWith(head, ascii("BZh"))) return "bzip2";
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "xz";
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return "zstd";
  if (
    startsWith(head, ascii("PK\x03\x04")) || startsWith(head, ascii("PK\x05\x06")) ||
    startsWith(head, ascii("PK\x07\x08"))
  ) return "zip";
  if (isTarHeader(head)) return "tar";
  if (
    startsWith(head, ascii("070707")) || startsWith(head, ascii("070701")) ||
    startsWith(head, ascii("070702")) || startsWith(head, [0xc7, 0x71]) ||
    startsWith(head, [0x71, 0xc7])
  ) return "cpio";
  return "unknown";
}

/** Whether `block` starts with a tar header: the ustar magic, or a valid header checksum. */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  if (startsWith(block, ascii("ustar"), 257)) return true;
  return tarChecksumValid(block) && block[0] !== 0;
}

/** Whether the checksum field of a 512-byte tar header matches its content. */
export function tarChecksumValid(block: Uint8Array): boolean {
  const field = new TextDecoder().decode(block.subarray(148, 156)).replace(/[\0 ]+$/g, "").trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === parseInt(field, 8);
}
