/**
 * Byte streams of a file's (decompressed) content: gzip and zstd in-process
 * (`node:zlib`, decoding into reused buffers, loaded at the first chunk) or,
 * on request, through `pigz -dc` / `zstd -dc`; xz and bzip2 through `xz -dcf` /
 * `bzip2 -dcf`, and `bsdtar -cf - --format pax @file` to
 * turn any other archive libarchive reads (zip, cpio, ...) into a tar stream
 * our safe extractor checks.
 *
 * The chunks a {@link ByteSource} yields may be reused for the next chunk as
 * soon as the consumer asks for it: copy what you keep.
 *
 * @module
 */

import { CancelledError } from "../../errors.ts";
import { ExtractFailedError } from "../errors.ts";
import { decodeChunks, INPUT_CHUNK, readFileChunks } from "./_decoded_chunks.ts";
import type { DecodeWorkerReply, DecodeWorkerRequest } from "./_decode_messages.ts";

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

/**
 * Where a compressor's data is decoded: `auto` (a preferred tool when it is
 * installed and permitted, else in this process), in this process
 * (`node:zlib`), or by a command-line tool (in-process for gzip and zstd
 * when none is installed).
 */
export type Decoder = "auto" | "in-process" | "tool";

/**
 * The decoder used per format, chosen by measurement (BENCHMARKS.md):
 * `node:zlib` on the calling thread, decoding into reused buffers. Paired
 * against `bsdtar -xf` on the same 200 MiB tree it cost 1.15x (tar.zst) and
 * 0.83x (tar.gz) bsdtar's CPU, against 1.66x and 1.69x for `auto` (`zstd -dc`
 * / `pigz -dc` streaming in: the tool's own CPU plus 64 KiB pipe reads, each
 * an async op), at the same wall time under load; plain `gzip -dc` costs 3x
 * the CPU of in-process inflate. The decode worker costs more CPU and memory
 * than the calling thread (a second isolate). xz and bzip2 have no
 * in-process decoder.
 */
export const DEFAULT_DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: "in-process",
  zstd: "in-process",
  xz: "tool",
  bzip2: "tool",
};

/** The command-line decoders per format, in order of preference. */
const TOOLS: Record<string, readonly string[]> = {
  gzip: ["pigz", "gzip"],
  zstd: ["zstd"],
  xz: ["xz"],
  bzip2: ["bzip2"],
};

/** The tools `auto` prefers to in-process decoding (not `gzip`: it costs 3x the CPU). */
const PREFERRED_TOOLS: Record<string, readonly string[]> = { gzip: ["pigz"], zstd: ["zstd"] };

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
  const zlibFormat = format === "gzip" || format === "zstd";
  if (zlibFormat && decoder === "in-process") return openInProcess(path, format, "thread");
  const tools = TOOLS[format];
  if (!tools) throw new ExtractFailedError(path, `no decoder for ${format}`);
  const preferred = zlibFormat && decoder === "auto";
  const source = spawnFirst(preferred ? PREFERRED_TOOLS[format] : tools, path, signal, preferred);
  if (source) return source;
  if (zlibFormat) return openInProcess(path, format, "thread");
  throw new ExtractFailedError(
    path,
    `${tools[0]} is not installed: install it to extract ${format}`,
  );
}

/**
 * A source from the first of `tools` that is installed and that this
 * process may run without asking (with `onlyPermitted`, a missing permission
 * means "decode in-process", never a prompt or an error; without it, the
 * last tool is still tried, so that its error says why).
 * The symlink in srcdir is resolved first, so no `-f` is needed (with it,
 * `zstd` would copy trailing garbage or a non-zstd file through).
 */
function spawnFirst(
  tools: readonly string[],
  path: string,
  signal: AbortSignal | undefined,
  onlyPermitted: boolean,
): ByteSource | undefined {
  for (const tool of tools) {
    if ((onlyPermitted || tool !== tools.at(-1)) && !mayRun(tool)) continue;
    const args = tool === "pigz" || tool === "zstd"
      ? ["-dc", "--", resolvedPath(path)]
      : [...(TOOL_FLAGS[tool] ?? []), "-dcf", "--", path]; // -f as makepkg (symlinks)
    try {
      return toolSource(tool, args, signal);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return undefined;
}

function mayRun(tool: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command: tool }).state === "granted";
  } catch {
    return false;
  }
}

function resolvedPath(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path; // the tool reports what is wrong with it
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
  return generatorSource(gunzipStreamChunks(path));
}

async function* gunzipStreamChunks(path: string): AsyncGenerator<Uint8Array> {
  const [{ createGunzip }, { Readable }] = await Promise.all([
    import("node:zlib"),
    import("node:stream"),
  ]);
  // Copies of the chunks: the stream may hold one after asking for the next.
  const input = Readable.from(copiedChunks(readFileChunks(path)));
  const gunzip = createGunzip({ chunkSize: INPUT_CHUNK });
  input.on("error", (error) => gunzip.destroy(error));
  const output = input.pipe(gunzip);
  try {
    for await (const chunk of output as AsyncIterable<Uint8Array>) yield chunk;
  } finally {
    output.destroy();
    input.destroy();
  }
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
 * no buffer decoder. `node:zlib` is loaded at the first chunk asked for; a
 * runtime without a zstd decoder fails then.
 */
export function openInProcess(
  path: string,
  format: "gzip" | "zstd",
  thread: InProcessThread,
  workerModule: URL = DECODE_WORKER,
): ByteSource {
  return generatorSource(
    inProcessChunks(path, format, thread, workerModule),
    (error) =>
      new ExtractFailedError(path, `${format} data is corrupt: ${errorText(error)}`, {
        cause: error,
      }),
  );
}

async function* inProcessChunks(
  path: string,
  format: "gzip" | "zstd",
  thread: InProcessThread,
  workerModule: URL,
): AsyncGenerator<Uint8Array> {
  const { createBufferDecoder } = await import("./_zlib_handle.ts");
  const decoder = createBufferDecoder(format);
  if (!decoder) {
    if (format === "gzip") return yield* gunzipStreamChunks(path);
    throw new Error("this runtime's node:zlib has no zstd decoder: install zstd");
  }
  const onThread = () => decodeChunks(readFileChunks(path, true), format, decoder);
  if (thread === "worker") {
    const { mayLoadModule } = await import("../_worker_module.ts");
    if (mayLoadModule(workerModule)) {
      return yield* workerChunks(path, format, workerModule, onThread);
    }
  }
  yield* onThread();
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

/** Bytes gathered from a tool's pipe before they are handed on. */
const TOOL_CHUNK = 256 << 10;

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
  // A pipe read returns at most 64 KiB: reads fill one reused buffer to TOOL_CHUNK before
  // the chunk is handed on, so the tar reader sees as few chunks as from a file.
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let buffer = new ArrayBuffer(INPUT_CHUNK);
    while (true) {
      let filled = 0;
      let ended = false;
      while (filled < TOOL_CHUNK) {
        const { value, done } = await reader.read(new Uint8Array(buffer, filled));
        if (value) buffer = value.buffer as ArrayBuffer;
        if (done || !value) {
          ended = true;
          break;
        }
        filled += value.length;
      }
      if (filled > 0) yield new Uint8Array(buffer, 0, filled);
      if (ended) return;
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
