/**
 * What the process umask does to the modes files are created with, learned
 * from the files themselves (reading the umask needs `--allow-sys=umask`):
 * the first file created with a mode bit not seen before is `fstat`ed once,
 * which tells which of its bits the umask cleared. Modes made only of bits
 * already seen and never cleared need no `chmod`. Used by the source
 * extractor and the package reader.
 *
 * @module
 */

/** Learns, file by file, which mode bits the umask clears. */
export class UmaskProbe {
  #seen = 0;
  #cleared = 0;

  /** Whether `file`, just created with `mode`, needs a `chmod` to get exactly `mode`. */
  clears(mode: number, file: Deno.FsFile): boolean {
    if ((mode & ~this.#seen) !== 0) {
      const actual = file.statSync().mode! & 0o7777;
      this.#seen |= mode;
      this.#cleared |= mode & ~actual;
    }
    return (mode & this.#cleared) !== 0;
  }
}
