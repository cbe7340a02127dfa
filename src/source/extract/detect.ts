/**
 * Format detection from content (magic bytes), never from the file name, as
 * makepkg does with `file -bizL`.
 *
 * @module
 */

/** A format recognised from its first bytes. */
export type ArchiveFormat =
  | "tar"
  | "ar"
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
  if (startsWith(head, ascii("!<arch>\n"))) return "ar";
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

/**
 * Whether the checksum field of a 512-byte tar header matches its content:
 * octal digits, optionally surrounded by spaces (and ended by NULs). Read
 * from the bytes, without decoding text: it runs for every member.
 */
export function tarChecksumValid(block: Uint8Array): boolean {
  let start = 148;
  let end = 156;
  while (end > start && (block[end - 1] === 0 || isAsciiSpace(block[end - 1]))) end--;
  while (start < end && isAsciiSpace(block[start])) start++;
  if (start === end) return false;
  let stored = 0;
  for (let i = start; i < end; i++) {
    const digit = block[i] - 0x30;
    if (digit < 0 || digit > 7) return false;
    stored = stored * 8 + digit;
  }
  let sum = 8 * 32; // the checksum field itself counts as spaces
  for (let i = 0; i < 148; i++) sum += block[i];
  for (let i = 156; i < 512; i++) sum += block[i];
  return sum === stored;
}

/** Space, tab, LF, VT, FF, CR. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** How many leading bytes {@link mayBeOtherArchive} looks at: up to the end of libarchive's SFX window. */
export const SIGNATURE_HEAD_SIZE = 0x60000 + 64;
/** How many trailing bytes it looks at: a zip end-of-central-directory record and its longest comment. */
export const SIGNATURE_TAIL_SIZE = 22 + 0xffff;

/** Leading signatures of the other formats and filters bsdtar reads (besides those {@link detectFormat} names). */
const OTHER_ARCHIVE_SIGNATURES: readonly (readonly [number, number[]])[] = [
  [0, ascii("!<thin>\n")], // thin ar
  [0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]], // 7z
  [0, ascii("Rar!\x1a\x07")], // rar, rar5
  [0, ascii("MSCF")], // cab
  [0, ascii("xar!")],
  [0, ascii("#mtree")],
  [0, ascii("WARC/")],
  [0, [0xed, 0xab, 0xee, 0xdb]], // rpm
  [0, [0x1f, 0x9d]], // compress (.Z)
  [0, [0x5d, 0x00, 0x00]], // lzma
  [0, ascii("LZIP")],
  [0, ascii("LRZI")],
  [0, [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]], // lzop
  [0, ascii("GRZipII")],
  [0, [0x04, 0x22, 0x4d, 0x18]], // lz4
  [0, [0x02, 0x21, 0x4c, 0x18]], // lz4 legacy
  [2, ascii("-lh")], // lha
  [2, ascii("-lz")],
  [32769, ascii("CD001")], // iso9660
];

/** Signatures libarchive looks for inside a self-extracting executable (7z, rar, rar5). */
const SFX_SIGNATURES: readonly number[][] = [
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
  ascii("Rar!\x1a\x07"),
];

/**
 * Whether bsdtar might read a file that {@link detectFormat} calls `unknown`,
 * judged from its first {@link SIGNATURE_HEAD_SIZE} and last
 * {@link SIGNATURE_TAIL_SIZE} bytes: a signature of another format or filter
 * libarchive reads, a self-extracting executable (`MZ` or ELF) holding a 7z
 * or rar signature, or a zip directory at the end (a zip with a stub in
 * front). When false, makepkg's `bsdtar -tf` test would fail, so the file is
 * left alone without starting bsdtar; when true, bsdtar decides.
 */
export function mayBeOtherArchive(head: Uint8Array, tail: Uint8Array): boolean {
  if (OTHER_ARCHIVE_SIGNATURES.some(([offset, magic]) => startsWith(head, magic, offset))) {
    return true;
  }
  if (UUENCODED_START.test(latin1(head.subarray(0, 0x20000)))) return true;
  if (startsWith(head, ascii("MZ")) || startsWith(head, ascii("\x7fELF"))) {
    if (SFX_SIGNATURES.some((magic) => indexOf(head, magic) >= 0)) return true;
  }
  return indexOf(tail, ascii("PK\x05\x06")) >= 0;
}

/** A uuencoded or base64-encoded file's first line, anywhere in the first 128 KiB (libarchive's uu filter). */
const UUENCODED_START = /^begin(-base64)? [0-7]{3,4} /m;

function latin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

function indexOf(bytes: Uint8Array, magic: readonly number[]): number {
  for (let i = bytes.indexOf(magic[0]); i >= 0; i = bytes.indexOf(magic[0], i + 1)) {
    if (startsWith(bytes, magic, i)) return i;
  }
  return -1;
}
