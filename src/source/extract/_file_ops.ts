/**
 * The file system calls behind `SafeTarExtractor`
 * (`tar_extract.ts`): writing a file's data (whole, or at a sparse file's
 * segments), making a directory
 * unless something is there, `lstat` without an error for nothing.
 *
 * @module
 */

import type { TarSparseSegment } from "./tar_reader.ts";

/** Writes all of `bytes` to `file`. */
export function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/** Writes a sparse file's data at its segments' offsets, seeking over the holes between them. */
export function sparseWriter(
  file: Deno.FsFile,
  segments: readonly TarSparseSegment[],
  overflow: () => Error,
): (chunk: Uint8Array) => void {
  let index = -1;
  let left = 0; // bytes left in the current segment
  return (chunk) => {
    let pos = 0;
    while (pos < chunk.length) {
      if (left === 0) {
        const next = segments[++index];
        if (!next) throw overflow();
        file.seekSync(next.offset, Deno.SeekMode.Start);
        left = next.size;
      }
      const n = Math.min(left, chunk.length - pos);
      writeAll(file, chunk.subarray(pos, pos + n));
      pos += n;
      left -= n;
    }
  };
}

/** Creates the directory `path`; false when something (of any kind) is already there. */
export function mkdirIfAbsent(path: string, mode: number): boolean {
  try {
    Deno.mkdirSync(path, { mode });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** `lstat` of `path`, or `undefined` when nothing is there. */
export function lstatIfExists(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
