/**
 * A minimal ustar writer for tests: builds the hostile archives no sane tool
 * makes (traversal, absolute paths, symlink and hard-link escapes, device
 * nodes), byte for byte.
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
