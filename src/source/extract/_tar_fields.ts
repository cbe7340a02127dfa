/**
 * Decoding of tar header fields, shared by the tar reader and its sparse
 * support.
 *
 * @module
 */

/** Raised for a corrupt or truncated tar stream. */
export class TarFormatError extends Error {}

const decoder = new TextDecoder();

/** The NUL-terminated text of a header field. */
export function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end >= 0 ? field.subarray(0, end) : field);
}

/** A numeric header field: octal text, or base-256 when the high bit is set (lenient, as read so far). */
export function octal(block: Uint8Array, start: number, length: number): number {
  if (block[start] & 0x80) {
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const field = text(block, start, length).trim();
  return field === "" ? 0 : parseInt(field, 8);
}

/**
 * A numeric header field that must be valid: octal digits (padded with
 * spaces or NULs) or a positive base-256 number, no larger than 2^53 - 1.
 */
export function strictNumber(
  block: Uint8Array,
  start: number,
  length: number,
  what: string,
): number {
  let value = 0;
  if (block[start] & 0x80) {
    if (block[start] !== 0x80) throw new TarFormatError(`${what} is negative or too large`);
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + block[i];
      if (value > Number.MAX_SAFE_INTEGER) throw new TarFormatError(`${what} is too large`);
    }
    return value;
  }
  const field = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(field)) {
    throw new TarFormatError(`${what} is not an octal number: ${JSON.stringify(field)}`);
  }
  value = field === "" ? 0 : parseInt(field, 8);
  if (value > Number.MAX_SAFE_INTEGER) throw new TarFormatError(`${what} is too large`);
  return value;
}
