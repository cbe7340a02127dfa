/**
 * makepkg's `extract_file` for one source already symlinked into srcdir:
 * the format comes from the content (magic bytes), never the name. Tar
 * (plain or inside gzip, bzip2, xz or zstd), ar (a `.deb`), and anything else bsdtar reads
 * (zip, cpio, and, when its signature says bsdtar might read it, 7z, rar,
 * ar/deb, rpm, iso9660, ...) is extracted into srcdir through
 * {@link SafeTarExtractor}; a
 * compressed file that is not an archive is decompressed to its name minus
 * the extension when the extension matches the compressor (`foo.gz` ->
 * `foo`), as makepkg does; anything else is left as the symlink.
 *
 * @module
 */

import { throwIfCancelled } from "../../errors.ts";
import type { EventSink } from "../../events.ts";
import { ExtractFailedError, fileSystemErrorOf } from "../errors.ts";
import { emit, type SourceEvent } from "../events.ts";
import { type ByteSource, openAsTar, openDecompressed, openRaw } from "./decompress.ts";
import {
  type ArchiveFormat,
  COMPRESSORS,
  detectFormat,
  mayBeOtherArchive,
  SIGNATURE_HEAD_SIZE,
  SIGNATURE_TAIL_SIZE,
  SINGLE_FILE_EXTENSIONS,
} from "./detect.ts";
import { SafeTarExtractor } from "./tar_extract.ts";
import { readTar, TarFormatError } from "./tar_reader.ts";
import { readAr } from "./ar_reader.ts";
import { ExtractBudget, type ExtractLimits } from "./limits.ts";
import { assertRoomFor, declaredSize } from "./declared_size.ts";

/** Where and how to extract. */
export interface ExtractContext {
  /** The srcdir to extract into. */
  readonly srcdir: string;
  /** Cancels the extraction. */
  readonly signal?: AbortSignal;
  /** Receives `source.extract` events. */
  readonly onEvent?: EventSink<SourceEvent>;
  /** Size, entry and ratio limits (see `limits.ts`). @default DEFAULT_EXTRACT_LIMITS */
  readonly limits?: ExtractLimits;
}

/** An extraction under way: its context and the budget its limits allow. */
interface Extraction extends ExtractContext {
  readonly budget: ExtractBudget;
}

/** Extracts the file at `path` (named `name` in srcdir) into `context.srcdir`, makepkg-style. */
export async function extractInto(
  path: string,
  name: string,
  extractContext: ExtractContext,
): Promise<void> {
  throwIfCancelled(extractContext.signal, `Extraction of ${name}`);
  const size = (await Deno.stat(path)).size;
  const budget = new ExtractBudget(name, size, extractContext.limits);
  const context: Extraction = { ...extractContext, budget };
  const format = detectFormat(await readHead(path, 512));
  await assertRoomFor(context.srcdir, name, await declaredSize(path, format, size));
  if (format === "tar") return await extractTar(openRaw(path), name, format, context);
  if (format === "ar") return await extractTar(openRaw(path), name, format, context, readAr);
  if (format === "zip" || format === "cpio") {
    return await extractTar(openAsTar(path, context.signal), name, format, context);
  }
  if (COMPRESSORS.includes(format)) return await extractCompressed(path, name, format, context);
  if (await mayBeOtherArchiveFile(path) && await bsdtarRecognizes(path)) {
    return await extractTar(openAsTar(path, context.signal), name, "archive", context);
  }
  emit(context.onEvent, { type: "source.extract", name, format: "symlink", tool: "none" });
}

async function extractCompressed(
  path: string,
  name: string,
  format: ArchiveFormat,
  context: Extraction,
): Promise<void> {
  const source = openDecompressed(path, format, context.signal);
  const iterator = source.chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  try {
    while (headSize < 512) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      head.push(next.value.slice()); // the source reuses its buffer for the next chunk
      headSize += next.value.length;
    }
  } catch (error) {
    await source.close(true);
    throw new ExtractFailedError(name, `${format} data is corrupt: ${errorText(error)}`);
  }
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      // Handed on and let go: the copied head is not held for the whole extraction.
      while (head.length > 0) yield head.shift()!;
      if (done) return;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  const inner = detectFormat(joinChunks(head, 512));
  if (inner === "tar") {
    return await extractTar({ ...source, chunks: rest }, name, `tar.${format}`, context);
  }
  if (inner === "zip" || inner === "cpio") {
    await source.close(true);
    return await extractTar(openAsTar(path, context.signal), name, `${inner}.${format}`, context);
  }
  const ext = name.slice(name.lastIndexOf(".") + 1);
  if (!name.includes(".") || !SINGLE_FILE_EXTENSIONS[format]?.includes(ext)) {
    await source.close(true);
    emit(context.onEvent, { type: "source.extract", name, format: "symlink", tool: "none" });
    return;
  }
  emit(context.onEvent, { type: "source.extract", name, format, tool: source.tool });
  await decompressToFile(
    source,
    rest,
    `${context.srcdir}/${name.slice(0, name.lastIndexOf("."))}`,
    name,
    context,
  );
}

async function decompressToFile(
  source: ByteSource,
  chunks: AsyncIterable<Uint8Array>,
  target: string,
  name: string,
  context: Extraction,
): Promise<void> {
  await removeIfExists(target);
  try {
    using file = await Deno.open(target, { write: true, createNew: true, mode: 0o644 });
    for await (const chunk of context.budget.count(chunks)) {
      throwIfCancelled(context.signal, `Extraction of ${name}`);
      let written = 0;
      while (written < chunk.length) written += await file.write(chunk.subarray(written));
    }
    await source.close();
  } catch (error) {
    await source.close(true).catch(() => {});
    if (isExtractError(error) || isCancelled(error)) throw error;
    throw fileSystemErrorOf(error, target) ??
      new ExtractFailedError(name, errorText(error), { cause: error });
  }
}

/** Extracts the members `read` finds in `source` (a tar stream, or an ar archive) into srcdir. */
async function extractTar(
  source: ByteSource,
  name: string,
  format: string,
  context: Extraction,
  read: typeof readTar = readTar,
): Promise<void> {
  emit(context.onEvent, { type: "source.extract", name, format, tool: source.tool });
  const extractor = new SafeTarExtractor(context.srcdir, name, context.signal);
  try {
    await read(context.budget.count(source.chunks), context.budget.guard(extractor));
    await source.close(true);
    extractor.finish();
  } catch (error) {
    extractor.abort();
    await source.close(true).catch(() => {});
    if (error instanceof TarFormatError) {
      throw new ExtractFailedError(name, error.message, { cause: error });
    }
    if (isExtractError(error) || isCancelled(error)) throw error;
    throw fileSystemErrorOf(error, context.srcdir) ??
      new ExtractFailedError(name, errorText(error), { cause: error });
  }
}

/** An EXTRACT_* error (failed, unsafe, limit): thrown as is. */
function isExtractError(error: unknown): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" &&
    error.code.startsWith("EXTRACT");
}

function isCancelled(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "CANCELLED";
}

async function readHead(path: string, size: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  return await readAt(file, 0, size);
}

async function readAt(file: Deno.FsFile, offset: number, size: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/** {@link mayBeOtherArchive} on the file's head and tail: whether bsdtar is worth asking. */
async function mayBeOtherArchiveFile(path: string): Promise<boolean> {
  using file = await Deno.open(path, { read: true });
  const { size } = await file.stat();
  const head = await readAt(file, 0, SIGNATURE_HEAD_SIZE);
  const tail = await readAt(file, Math.max(0, size - SIGNATURE_TAIL_SIZE), SIGNATURE_TAIL_SIZE);
  return mayBeOtherArchive(head, tail);
}

function joinChunks(chunks: Uint8Array[], limit: number): Uint8Array {
  const out = new Uint8Array(Math.min(limit, chunks.reduce((n, c) => n + c.length, 0)));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= out.length) break;
    const piece = chunk.subarray(0, out.length - offset);
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/**
 * makepkg's fallback: `bsdtar -tf file -q '*'` succeeds for formats it knows.
 * Without bsdtar nothing more can be tried; a missing permission to run it
 * (`NotCapable`) is thrown, since the file looks like an archive.
 */
async function bsdtarRecognizes(path: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("bsdtar", {
      args: ["-tf", path, "-q", "*"],
      cwd: path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".",
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false; // no bsdtar: nothing more to try
    throw error;
  }
}

/** Removes the file at `path` if there is one (not `cache.ts`'s: it loads `node:crypto`, 2-3 MiB of RSS). */
async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
