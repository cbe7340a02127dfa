/**
 * Decoding of tar header fields and pax records, shared by the tar reader
 * and its sparse support.
 *
 * @module
 */

/** Raised for a corrupt or truncated tar stream. */
export class TarFormatError extends Error {}

const decoder = new TextDecoder();

/**
 * The NUL-terminated text of a header field (UTF-8). ASCII, what nearly
 * every header holds, is built from the bytes directly: a `TextDecoder`
 * call per field was a tenth of the JavaScript time per member (profiled).
 */
export function text(block: Uint8Array, start: number, length: number): string {
  const limit = Math.min(start + length, block.length);
  let out = "";
  for (let i = start; i < limit; i++) {
    const byte = block[i];
    if (byte === 0) return out;
    if (byte >= 0x80) {
      const field = block.subarray(start, limit);
      const end = field.indexOf(0);
      return decoder.decode(end >= 0 ? field.subarray(0, end) : field);
    }
    out += String.fromCharCode(byte);
  }
  return out;
}

/** A numeric header field: octal text, or base-256 when the high bit is set (lenient, as read so far). */
export function octal(block: Uint8Array, start: number, length: number): number {
  if (block[start] & 0x80) {
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const fast = plainOctal(block, start, start + length);
  if (fast !== undefined) return fast;
  const field = text(block, start, length).trim();
  return field === "" ? 0 : parseInt(field, 8);
}

/**
 * The common shape of a numeric field read from its bytes: leading spaces
 * or zeros, octal digits, then a NUL, a space or the field's end. Anything
 * else is `undefined`, for the general (`parseInt`) path.
 */
function plainOctal(block: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  while (i < end && block[i] === 0x20) i++;
  let value = 0;
  for (; i < end; i++) {
    const digit = block[i] - 0x30;
    if (digit < 0 || digit > 7) break;
    value = value * 8 + digit;
  }
  return i < end && block[i] !== 0 && block[i] !== 0x20 ? undefined : value;
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

/** The records of a pax extended header (`length key=value\n` each), in order. */
export function parsePax(data: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const length = parseInt(decoder.decode(data.subarray(pos, space)), 10);
    if (!(length > 0)) break;
    const record = decoder.decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf("=");
    if (eq > 0) out.push([record.slice(0, eq), record.slice(eq + 1)]);
    pos += length;
  }
  return out;
}

/** `parts` joined into one buffer of `size` bytes. */
export function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
