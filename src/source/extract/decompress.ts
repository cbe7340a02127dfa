/**
 * Byte streams of a file's (decompressed) content: in-process for gzip and
 * zstd (`node:zlib`, decoding into reused buffers), through `xz -dcf` /
 * `bzip2 -dcf` for xz and bzip2, and `bsdtar -cf - --format pax @file` to
 * turn any other archive libarchive reads (zip, cpio, ...) into a tar stream
 * our safe extractor checks.
 *
 * The chunks a {@link ByteSource} yields may be reused for the next chunk as
 * soon as the consumer asks for it: copy what you keep.
 *
 * @module
 */

import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { CancelledError } from "../../errors.ts";
import { ExtractFailedError } from "../errors.ts";
import { decodeChunks, INPUT_CHUNK, readFileChunks } from "./_decoded_chunks.ts";
import type { DecodeWorkerReply, DecodeWorkerRequest } from "./_decode_messages.ts";
import { createBufferDecoder } from "./_zlib_handle.ts";
import { mayLoadModule } from "../_worker_module.ts";

/** A stream of bytes plus how to finish it. */
export interface ByteSource {
  /** The bytes; a chunk may be overwritten once the next is asked for. Breaking out stops the producer. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** `in-process` or the system tool producing the bytes. */
  readonly tool: string;
  /** Waits for the producer and throws if it failed; stops it when `early` is true. */
  close(early?: boolean): Promise<void>;
}

/** The file's own bytes. */
export function openRaw(path: string): ByteSource {
  return generatorSource(readFileChunks(path));
}

/** Where a compressor's data is decoded: in this process (`node:zlib`) or by its command-line tool. */
export type Decoder = "in-process" | "tool";

/**
 * The decoder used per format, chosen by measurement (BENCHMARKS.md):
 * in-process `node:zlib` decoding into reused buffers on the calling thread.
 * It costs less CPU than `gzip -dc` (0.3 s against 1.0 s for a 200 MiB tar)
 * and than `zstd -dc` piped into this process (0.3 s against 0.6-0.7 s,
 * the pipe's reads included), and less than the decode worker (paired:
 * 0.83x its CPU, 0.86x its wall time, 62 against 80 MiB peak RSS: the worker
 * is a second isolate loading `node:zlib` again). When `node:zlib` lacks
 * the handle this needs, gzip falls back to its stream API and zstd to the
 * tool; xz and bzip2 have no in-process decoder.
 */
export const DEFAULT_DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: "in-process",
  zstd: "in-process",
  xz: "tool",
  bzip2: "tool",
};

const TOOLS: Record<string, string> = { gzip: "gzip", zstd: "zstd", xz: "xz", bzip2: "bzip2" };

/**
 * Extra decoder flags per tool: `xz -T0` decodes a multi-block file (what
 * `xz -T0` writes) on every core, twice as fast as one thread on two cores
 * (measured on a 300 MB tar); a single-block file decodes as before.
 */
const TOOL_FLAGS: Record<string, string[]> = { xz: ["-T0"] };

/** The decompressed bytes of a gzip, zstd, xz or bzip2 file. */
export function openDecompressed(
  path: string,
  format: string,
  signal?: AbortSignal,
  decoder: Decoder = DEFAULT_DECODERS[format] ?? "tool",
): ByteSource {
  if ((format === "gzip" || format === "zstd") && decoder === "in-process") {
    const source = openInProcess(path, format, "thread");
    if (source) return source;
  }
  const tool = TOOLS[format];
  if (!tool) throw new ExtractFailedError(path, `no decoder for ${format}`);
  try {
    // -f as makepkg: zstd skips symlinks otherwise
    return toolSource(tool, [...(TOOL_FLAGS[tool] ?? []), "-dcf", "--", path], signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    if (decoder === "tool" && (format === "gzip" || format === "zstd")) {
      return openDecompressed(path, format, signal, "in-process");
    }
    throw new ExtractFailedError(path, `${tool} is not installed: install it to extract ${format}`);
  }
}

/** A pax tar stream of any archive bsdtar reads (zip, cpio, 7z, ...). */
export function openAsTar(path: string, signal?: AbortSignal): ByteSource {
  try {
    // bsdtar skips a member it cannot convert with a warning and still exits 0: any
    // warning here would be a file missing from srcdir, so it fails the extraction.
    return toolSource("bsdtar", ["-cf", "-", "--format", "pax", `@${path}`], signal, true);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ExtractFailedError(path, "bsdtar is not installed: install libarchive-tools");
  }
}

/** gzip through the `node:zlib` stream API: the fallback when there is no buffer decoder. */
export function gunzipStreamSource(path: string): ByteSource {
  // Copies of the chunks: the stream may hold one after asking for the next.
  const input = Readable.from(copiedChunks(readFileChunks(path)));
  const gunzip = createGunzip({ chunkSize: INPUT_CHUNK });
  input.on("error", (error) => gunzip.destroy(error));
  return nodeSource(input.pipe(gunzip), "in-process", () => input.destroy());
}

async function* copiedChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}

/** The decode worker's module; `deno compile` must `--include` it (a binary without it decodes on the main thread). */
const DECODE_WORKER = new URL("./_decode_worker.ts", import.meta.url);

/** The size of each buffer lent to the decode worker (four of them): fewer, larger messages. */
const WORKER_CHUNK = 1 << 20;

/**
 * Where in this process a file is decoded: on the calling thread (what
 * {@link openDecompressed} uses) or on a decode worker, which overlaps
 * decoding with writing when a core is idle but costs more CPU and memory
 * (compared by `bench/extract_bench.ts ... worker`).
 */
export type InProcessThread = "thread" | "worker";

/**
 * gzip or zstd decoded in this process: into reused buffers on `thread`
 * (the calling thread or a worker, which falls back to the calling thread if
 * it cannot start), or for gzip through the stream API when `node:zlib` has
 * no buffer decoder. `undefined` when nothing in-process can decode it.
 */
export function openInProcess(
  path: string,
  format: "gzip" | "zstd",
  thread: InProcessThread,
  workerModule: URL = DECODE_WORKER,
): ByteSource | undefined {
  const decoder = createBufferDecoder(format);
  if (!decoder) return format === "gzip" ? gunzipStreamSource(path) : undefined;
  const onThread = () => decodeChunks(readFileChunks(path), format, decoder);
  const chunks = thread === "worker" && mayLoadModule(workerModule)
    ? workerChunks(path, format, workerModule, onThread)
    : onThread();
  return generatorSource(
    chunks,
    (error) =>
      new ExtractFailedError(path, `${format} data is corrupt: ${errorText(error)}`, {
        cause: error,
      }),
  );
}

/** The chunks decoded by a decode worker; `fallback` when the worker cannot start. */
async function* workerChunks(
  path: string,
  format: "gzip" | "zstd",
  workerModule: URL,
  fallback: () => AsyncGenerator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let worker: Worker;
  try {
    worker = new Worker(workerModule, { type: "module" });
  } catch {
    return yield* fallback();
  }
  const inbox: (DecodeWorkerReply | { type: "failed"; message: string })[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: (typeof inbox)[number]) => {
    inbox.push(message);
    wake?.();
    wake = undefined;
  };
  worker.onmessage = (event: MessageEvent<DecodeWorkerReply>) => deliver(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    deliver({ type: "failed", message: event.message });
  };
  try {
    const buffers = Array.from({ length: 4 }, () => new ArrayBuffer(WORKER_CHUNK));
    const start: DecodeWorkerRequest = { type: "start", path, format, buffers };
    worker.postMessage(start, buffers);
    let started = false;
    while (true) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.type === "end") return;
      if (message.type === "error") throw new Error(message.message);
      if (message.type === "failed") {
        if (started) throw new Error(`the decode worker failed: ${message.message}`);
        return yield* fallback(); // e.g. a compiled binary built without the worker module
      }
      started = true;
      yield new Uint8Array(message.buffer, 0, message.length);
      const back: DecodeWorkerRequest = { type: "buffer", buffer: message.buffer };
      worker.postMessage(back, [message.buffer]);
    }
  } finally {
    worker.terminate();
  }
}

/** A source over `chunks`; errors they throw pass through `wrap`. */
function generatorSource(
  chunks: AsyncGenerator<Uint8Array>,
  wrap: (error: unknown) => unknown = (error) => error,
): ByteSource {
  let failure: unknown;
  async function* guarded(): AsyncGenerator<Uint8Array> {
    try {
      yield* chunks;
    } catch (error) {
      failure = wrap(error);
      throw failure;
    }
  }
  const iterable = guarded();
  return {
    chunks: iterable,
    tool: "in-process",
    async close(early = false): Promise<void> {
      await iterable.return(undefined).catch(() => {});
      if (failure !== undefined && !early) throw failure;
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

function toolSource(
  tool: string,
  args: string[],
  signal?: AbortSignal,
  warningsFail = false,
): ByteSource {
  const child = new Deno.Command(tool, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(signal ? { signal } : {}),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.getReader({ mode: "byob" });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let buffer = new Uint8Array(INPUT_CHUNK);
    while (true) {
      const { value, done } = await reader.read(buffer);
      if (done || !value) return;
      yield value;
      buffer = new Uint8Array(value.buffer);
    }
  }
  return {
    chunks: chunks(),
    tool,
    async close(early = false): Promise<void> {
      if (early) {
        try {
          child.kill("SIGKILL");
        } catch {
          // Already exited.
        }
        await reader.cancel().catch(() => {});
      }
      const status = await child.status;
      const message = (await stderr).trim();
      if (signal?.aborted) throw new CancelledError(`${tool} extraction`);
      if (!early && (!status.success || (warningsFail && message !== ""))) {
        throw new ExtractFailedError(tool, `${tool} ${args.join(" ")} failed: ${message}`);
      }
    },
  };
}
