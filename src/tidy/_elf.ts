/**
 * What `readelf -h` tells the strip step about a file, read from its first
 * bytes: the ELF object type, or for an `ar` archive whether it holds ELF
 * objects (a static library, for `ar t`).
 *
 * @module
 */

/** The ELF type as the strip step dispatches on it, or `null` for anything else. */
export type ElfKind = "shared" | "executable" | "relocatable" | "archive" | null;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const AR_MAGIC = "!<arch>\n";

/** The kind of an ELF header at the start of `bytes`. */
function elfKindOf(bytes: Uint8Array): ElfKind {
  if (bytes.length < 18 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) return null;
  const little = bytes[5] === 1;
  if (!little && bytes[5] !== 2) return null;
  const type = little ? bytes[16] | (bytes[17] << 8) : (bytes[16] << 8) | bytes[17];
  return type === 3 ? "shared" : type === 2 ? "executable" : type === 1 ? "relocatable" : null;
}

/** Whether the ar archive in `file` holds at least one ELF member (what makes `readelf` print a type). */
async function archiveHasElf(file: Deno.FsFile): Promise<boolean> {
  let at = AR_MAGIC.length;
  const header = new Uint8Array(60);
  const head = new Uint8Array(18);
  for (let members = 0; members < 4096; members++) {
    await file.seek(at, Deno.SeekMode.Start);
    if (!await readFull(file, header)) return false;
    const size = Number.parseInt(new TextDecoder().decode(header.subarray(48, 58)).trim(), 10);
    if (!Number.isFinite(size) || size < 0) return false;
    if (size >= 18 && await readFull(file, head) && elfKindOf(head) !== null) return true;
    at += 60 + size + (size % 2);
  }
  return false;
}

/** Reads exactly `buf.length` bytes; false at end of file. */
async function readFull(file: Deno.FsFile, buf: Uint8Array): Promise<boolean> {
  let got = 0;
  while (got < buf.length) {
    const n = await file.read(buf.subarray(got));
    if (n === null) return false;
    got += n;
  }
  return true;
}

/** Classifies the regular file at `path` as the strip step's `readelf -h` case does. */
export async function elfKindOfFile(path: string): Promise<ElfKind> {
  using file = await Deno.open(path, { read: true });
  const head = new Uint8Array(18);
  const n = await file.read(head);
  if (n === null) return null;
  if (new TextDecoder().decode(head.subarray(0, 8)) === AR_MAGIC) {
    return (await archiveHasElf(file)) ? "archive" : null;
  }
  return n >= 18 ? elfKindOf(head) : null;
}
