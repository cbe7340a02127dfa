/**
 * The build log: every line of every phase, appended to one file through a
 * bounded buffer, plus the last lines kept in memory for error messages.
 *
 * @module
 */

const FLUSH_BYTES = 256 * 1024;
const encoder = new TextEncoder();
const NEWLINE = new Uint8Array([0x0a]);

/** An open build log. */
export class BuildLog {
  readonly #file: Deno.FsFile;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #writing: Promise<void> = Promise.resolve();
  readonly #tail: string[] = [];
  readonly #tailLength: number;

  private constructor(file: Deno.FsFile, tailLength: number) {
    this.#file = file;
    this.#tailLength = tailLength;
  }

  /** Creates (or truncates) the log at `path`. */
  static async create(path: string, tailLength = 20): Promise<BuildLog> {
    return new BuildLog(
      await Deno.open(path, { write: true, create: true, truncate: true, mode: 0o644 }),
      tailLength,
    );
  }

  /**
   * Appends one line (raw bytes, or text) and remembers its text for the tail.
   * Returns a promise only when the buffer had to be flushed; await it.
   */
  writeLine(text: string, raw?: Uint8Array): Promise<void> | undefined {
    this.#tail.push(text);
    if (this.#tail.length > this.#tailLength) this.#tail.shift();
    const bytes = raw ?? encoder.encode(text);
    this.#chunks.push(bytes, NEWLINE);
    this.#size += bytes.length + 1;
    return this.#size >= FLUSH_BYTES ? this.flush() : undefined;
  }

  /** Forgets the remembered tail (called when a new phase starts). */
  clearTail(): void {
    this.#tail.length = 0;
  }

  /** The last lines written since the tail was cleared, oldest first. */
  tail(): string[] {
    return [...this.#tail];
  }

  /** Writes everything buffered to the file. */
  flush(): Promise<void> {
    const chunks = this.#chunks;
    const size = this.#size;
    this.#chunks = [];
    this.#size = 0;
    this.#writing = this.#writing.then(async () => {
      if (size === 0) return;
      const data = new Uint8Array(size);
      let offset = 0;
      for (const c of chunks) {
        data.set(c, offset);
        offset += c.length;
      }
      for (let done = 0; done < data.length;) done += await this.#file.write(data.subarray(done));
    });
    return this.#writing;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.#file.close();
  }
}
