/**
 * Byte streams of a file's (decompressed) content: in-process for gzip and
 * zstd (`node:zlib`), through `xz -dcf` / `bzip2 -dcf` for xz and bzip2, and
 * `bsdtar -cf - --format pax @file` to turn any other archive libarchive
 * reads (zip, cpio, ...) into a tar stream our safe extractor checks.
 *
 * @module
 */

import { createReadStream } from "node:fs";
import { createGunzip, createZstdDecompress } from "node:zlib";
import type { Readable, Transform } from "node:stream";
import { CancelledError } from "../../errors.ts";
import { ExtractFailedError } from "../errors.ts";

/** A stream of bytes plus how to finish it. */
export interface ByteSource {
  /** The bytes. Breaking out of the iteration stops the producer. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** `in-process` or the system tool producing the bytes. */
  readonly tool: string;
  /** Waits for the producer and throws if it failed; stops it when `early` is true. */
  close(early?: boolean): Promise<void>;
}

const CHUNK = 1 << 20;

/** The file's own bytes. */
export function openRaw(path: string): ByteSource {
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  return nodeSource(stream, "in-process");
}

/** Where a compressor's data is decoded: in this process (`node:zlib`) or by its command-line tool. */
export type Decoder = "in-process" | "tool";

/**
 * The decoder used per format, chosen by `bench/extract_bench.ts` on a 1 GiB
 * tree: `node:zlib` gunzip beat `gzip -dc` (1.07x vs 1.73x bsdtar), while
 * `zstd -dc` beat `node:zlib` zstd (0.68x vs 1.80x bsdtar). When the tool is
 * missing (a bare node), gzip and zstd fall back to in-process; xz and bzip2
 * have no in-process decoder.
 */
export const DEFAULT_DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: "in-process",
  zstd: "tool",
  xz: "tool",
  bzip2: "tool",
};

const TOOLS: Record<string, string> = { gzip: "gzip", zstd: "zstd", xz: "xz", bzip2: "bzip2" };

/** The decompressed bytes of a gzip, zstd, xz or bzip2 file. */
export function openDecompressed(
  path: string,
  format: string,
  signal?: AbortSignal,
  decoder: Decoder = DEFAULT_DECODERS[format] ?? "tool",
): ByteSource {
  if ((format === "gzip" || format === "zstd") && decoder === "in-process") {
    const input = createReadStream(path, { highWaterMark: CHUNK });
    const decoder: Transform = format === "gzip"
      ? createGunzip({ chunkSize: CHUNK })
      : createZstdDecompress({ chunkSize: CHUNK });
    input.on("error", (error) => decoder.destroy(error));
    return nodeSource(input.pipe(decoder), "in-process", () => input.destroy());
  }
  const tool = TOOLS[format];
  if (!tool) throw new ExtractFailedError(path, `no decoder for ${format}`);
  try {
    return toolSource(tool, ["-dcf", "--", path], signal); // -f as makepkg: zstd skips symlinks otherwise
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    if (format === "gzip" || format === "zstd") {
      return openDecompressed(path, format, signal, "in-process");
    }
    throw new ExtractFailedError(path, `${tool} is not installed: install it to extract ${format}`);
  }
}

/** A pax tar stream of any archive bsdtar reads (zip, cpio, 7z, ...). */
export function openAsTar(path: string, signal?: AbortSignal): ByteSource {
  try {
    return toolSource("bsdtar", ["-cf", "-", "--format", "pax", `@${path}`], signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ExtractFailedError(path, "bsdtar is not installed: install libarchive-tools");
  }
}

function nodeSource(stream: Readable, tool: string, stop?: () => void): ByteSource {
  let failure: unknown;
  stream.on("error", (error) => (failure ??= error));
  return {
    chunks: stream as AsyncIterable<Uint8Array>,
    tool,
    close(early = false): Promise<void> {
      if (early || !stream.readableEnded) {
        stream.destroy();
        stop?.();
      }
      if (failure !== undefined && !early) {
        return Promise.reject(failure);
      }
      return Promise.resolve();
    },
  };
}

function toolSource(tool: string, args: string[], signal?: AbortSignal): ByteSource {
  const child = new Deno.Command(tool, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(signal ? { signal } : {}),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  return {
    chunks: child.stdout,
    tool,
    async close(early = false): Promise<void> {
      if (early) {
        try {
          child.kill("SIGKILL");
        } catch {
          // Already exited.
        }
        await child.stdout.cancel().catch(() => {});
      }
      const status = await child.status;
      const message = (await stderr).trim();
      if (signal?.aborted) throw new CancelledError(`${tool} extraction`);
      if (!early && !status.success) {
        throw new ExtractFailedError(tool, `${tool} ${args.join(" ")} failed: ${message}`);
      }
    },
  };
}
