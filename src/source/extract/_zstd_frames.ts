/**
 * A scanner of zstd frame boundaries (RFC 8878, section 3.1), so that
 * concatenated frames (`zstd a >> f; zstd b >> f`, pzstd output) and
 * skippable frames decode like `zstd -dc` does, and a stream that stops in
 * the middle of a frame is reported as truncated. It reads only the frame and
 * block headers; the decoder does the rest.
 *
 * @module
 */

/** The magic number that starts a zstd data frame. */
export const ZSTD_MAGIC: Uint8Array = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]);

/** Raised for bytes that are not zstd frames. */
export class ZstdFormatError extends Error {}

/** One stretch of input between frame events. */
export interface ZstdScanStep {
  /** Where the stretch ends (exclusive). */
  readonly end: number;
  /** Whether the stretch belongs to a data frame and goes to the decoder. */
  readonly decode: boolean;
  /** `start`: a data frame begins here (feed {@link ZSTD_MAGIC} first); `end`: a frame ended. */
  readonly event?: "start" | "end";
}

type Phase =
  | "magic"
  | "descriptor"
  | "header-rest"
  | "block-header"
  | "block-body"
  | "checksum"
  | "skippable-size"
  | "skippable-body";

const FIELD_SIZES = [0, 1, 2, 4];
const CONTENT_SIZE_SIZES = [0, 2, 4, 8];

/** Walks zstd frames across arbitrarily split input. */
export class ZstdFrameScanner {
  #phase: Phase = "magic";
  readonly #field = new Uint8Array(4);
  #filled = 0;
  #remaining = 0;
  #lastBlock = false;
  #checksum = false;
  #frames = 0;

  /** Whether the input so far ends exactly after a complete frame. */
  get complete(): boolean {
    return this.#phase === "magic" && this.#filled === 0 && this.#frames > 0;
  }

  /** Scans `bytes[start, end)` up to the next phase change and says what the stretch is. */
  next(bytes: Uint8Array, start: number, end: number): ZstdScanStep {
    switch (this.#phase) {
      case "magic":
        return this.#collect(bytes, start, end, 4, false, () => this.#onMagic());
      case "descriptor":
        return this.#collect(bytes, start, end, 1, true, () => this.#onDescriptor());
      case "block-header":
        return this.#collect(bytes, start, end, 3, true, () => this.#onBlockHeader());
      case "skippable-size":
        return this.#collect(bytes, start, end, 4, false, () => this.#onSkippableSize());
      case "header-rest":
      case "block-body":
      case "checksum":
      case "skippable-body":
        return this.#skip(start, end);
    }
  }

  #collect(
    bytes: Uint8Array,
    start: number,
    end: number,
    size: number,
    decode: boolean,
    done: () => ZstdScanStep["event"],
  ): ZstdScanStep {
    const n = Math.min(size - this.#filled, end - start);
    this.#field.set(bytes.subarray(start, start + n), this.#filled);
    this.#filled += n;
    if (this.#filled < size) return { end: start + n, decode };
    this.#filled = 0;
    const event = done();
    return event ? { end: start + n, decode, event } : { end: start + n, decode };
  }

  #skip(start: number, end: number): ZstdScanStep {
    const n = Math.min(this.#remaining, end - start);
    this.#remaining -= n;
    const decode = this.#phase !== "skippable-body";
    if (this.#remaining > 0) return { end: start + n, decode };
    const event = this.#afterCountedPhase();
    return event ? { end: start + n, decode, event } : { end: start + n, decode };
  }

  #onMagic(): ZstdScanStep["event"] {
    const f = this.#field;
    if (ZSTD_MAGIC.every((b, i) => f[i] === b)) {
      this.#phase = "descriptor";
      return "start";
    }
    if ((f[0] & 0xf0) === 0x50 && f[1] === 0x2a && f[2] === 0x4d && f[3] === 0x18) {
      this.#phase = "skippable-size";
      return undefined;
    }
    throw new ZstdFormatError(
      this.#frames === 0 ? "not zstd data" : "unknown data after the last zstd frame",
    );
  }

  #onDescriptor(): ZstdScanStep["event"] {
    const descriptor = this.#field[0];
    if (descriptor & 0x08) throw new ZstdFormatError("zstd frame header has the reserved bit set");
    const singleSegment = (descriptor & 0x20) !== 0;
    const contentSizeFlag = descriptor >> 6;
    this.#checksum = (descriptor & 0x04) !== 0;
    this.#remaining = (singleSegment ? 0 : 1) + FIELD_SIZES[descriptor & 0x03] +
      (contentSizeFlag === 0 && singleSegment ? 1 : CONTENT_SIZE_SIZES[contentSizeFlag]);
    this.#phase = this.#remaining > 0 ? "header-rest" : "block-header";
    return undefined;
  }

  #onBlockHeader(): ZstdScanStep["event"] {
    const f = this.#field;
    const header = f[0] | (f[1] << 8) | (f[2] << 16);
    const type = (header >> 1) & 0x03;
    if (type === 3) throw new ZstdFormatError("zstd block has the reserved type");
    this.#lastBlock = (header & 1) === 1;
    this.#remaining = type === 1 ? 1 : header >>> 3;
    this.#phase = "block-body";
    return this.#remaining === 0 ? this.#afterCountedPhase() : undefined;
  }

  #onSkippableSize(): ZstdScanStep["event"] {
    const f = this.#field;
    this.#remaining = (f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24)) >>> 0;
    this.#phase = "skippable-body";
    return this.#remaining === 0 ? this.#afterCountedPhase() : undefined;
  }

  /** Moves on once a counted stretch (header rest, block body, checksum, skippable body) is done. */
  #afterCountedPhase(): ZstdScanStep["event"] {
    switch (this.#phase) {
      case "header-rest":
        this.#phase = "block-header";
        return undefined;
      case "block-body":
        if (!this.#lastBlock) {
          this.#phase = "block-header";
          return undefined;
        }
        if (this.#checksum) {
          this.#phase = "checksum";
          this.#remaining = 4;
          return undefined;
        }
        return this.#frameEnd();
      default:
        return this.#frameEnd();
    }
  }

  #frameEnd(): "end" {
    this.#phase = "magic";
    this.#frames++;
    return "end";
  }
}
