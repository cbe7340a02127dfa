/**
 * Reads a worker package into a directory, verifying while it streams: the
 * file's sha256 first (synchronous reads into one buffer, `src/_hash.ts`),
 * checked when the caller knows it, then every member against the manifest
 * (`.WORKER.json`, which comes before the tree): its type, mode, size and
 * sha256, nothing missing and nothing extra, nothing written through a
 * symlink (`_tree_writer.ts`). Any difference is {@link PackageCorruptError};
 * the caller removes the directory. The zstd data is decoded and the tar
 * read by `src/source/extract/` (`openDecompressed`, `readTar`), under the
 * same limits as a source archive (`ExtractBudget`).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { sha256FileBlocking } from "../_hash.ts";
import { CancelledError, throwIfCancelled } from "../errors.ts";
import { ExtractLimitError } from "../source/errors.ts";
import { openDecompressed } from "../source/extract/decompress.ts";
import { ExtractBudget, type ExtractLimits } from "../source/extract/limits.ts";
import { readTar, type TarDataSink, type TarEntry } from "../source/extract/tar_reader.ts";
import { PackageCorruptError, PackageMalformedError } from "./errors.ts";
import { MANIFEST_NAME, type PackageManifest, parseManifest } from "./manifest.ts";
import { TreeWriter, type WrittenFile } from "./_tree_writer.ts";

export type { WrittenFile } from "./_tree_writer.ts";

/** What {@link readPackage} found. */
export interface ReadPackage {
  /** The verified manifest. */
  readonly manifest: PackageManifest;
  /** `.PKGINFO` as text. */
  readonly pkginfo: string;
  /** sha256 of the package file. */
  readonly sha256: string;
  /**
   * Each file written, by its path in the tree: its digest (hashed as it
   * was written, equal to the manifest's) and its stamp right after.
   */
  readonly files: ReadonlyMap<string, WrittenFile>;
}

/** Options of {@link readPackage}. */
export interface ReadPackageOptions {
  /** The sha256 the file must have (from a registry or a cache index). @default not checked */
  readonly sha256?: string;
  /**
   * Limits of the decoded stream, as for a source archive (`--extract-max-*`):
   * a decompression bomb stops before it fills the disk. @default DEFAULT_EXTRACT_LIMITS
   */
  readonly limits?: ExtractLimits;
  /** Cancels the read. */
  readonly signal?: AbortSignal;
}

const MAX_METADATA = 16 << 20;

/** sha256 of a file (synchronous reads into one buffer, a turn for the event loop every 8 MiB). */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  return await sha256FileBlocking(path, signal);
}

/** Collects a metadata member in memory. */
class MemorySink implements TarDataSink {
  readonly parts: Uint8Array[] = [];
  #size = 0;
  constructor(readonly what: string, readonly onClose: (text: string) => void) {}
  write(chunk: Uint8Array): void {
    this.#size += chunk.length;
    if (this.#size > MAX_METADATA) {
      throw new PackageMalformedError(this.what, "a metadata file is too large");
    }
    this.parts.push(chunk.slice());
  }
  close(): void {
    this.onClose(new TextDecoder().decode(Buffer.concat(this.parts)));
  }
}

/** Reads the package at `path` into the (empty or absent) directory `dest`. */
export async function readPackage(
  path: string,
  dest: string,
  options: ReadPackageOptions = {},
): Promise<ReadPackage> {
  const what = path;
  const sha256 = await sha256OfFile(path, options.signal);
  if (options.sha256 && options.sha256 !== sha256) {
    throw new PackageCorruptError(what, `expected sha256 ${options.sha256}, got ${sha256}`);
  }
  Deno.mkdirSync(dest, { recursive: true });
  const state = new ReadState(what, dest, options.signal);
  const budget = new ExtractBudget(path, Deno.statSync(path).size, options.limits);
  const source = openDecompressed(path, "zstd", options.signal);
  try {
    await readTar(budget.count(source.chunks), budget.guard(state));
    await source.close();
    return { ...state.finish(), sha256 };
  } catch (error) {
    state.abort();
    await source.close(true).catch(() => {});
    if (
      error instanceof PackageCorruptError || error instanceof PackageMalformedError ||
      error instanceof CancelledError || error instanceof ExtractLimitError
    ) throw error;
    throw new PackageMalformedError(what, (error as Error).message ?? String(error), error);
  }
}

/** One read: the metadata members, then the tree written by a {@link TreeWriter}. */
class ReadState {
  pkginfo?: string;
  #tree?: TreeWriter;
  #manifestSeen = false;
  constructor(readonly what: string, readonly dest: string, readonly signal?: AbortSignal) {}

  entry(entry: TarEntry): TarDataSink | undefined {
    throwIfCancelled(this.signal, "Reading the package");
    let path = entry.path;
    if (path.startsWith("./")) path = path.slice(2);
    if (path.endsWith("/")) path = path.slice(0, -1);
    if (!path.includes("/") && path.startsWith(".")) return this.#metadata(path);
    if (!this.#tree) {
      throw new PackageMalformedError(this.what, `${path} comes before the manifest`);
    }
    return this.#tree.member(path, entry);
  }

  #metadata(name: string): TarDataSink | undefined {
    if (name === MANIFEST_NAME) {
      if (this.#manifestSeen) throw new PackageCorruptError(this.what, `${name} appears twice`);
      this.#manifestSeen = true;
      return new MemorySink(this.what, (text) => {
        const manifest = parseManifest(this.what, text);
        this.#tree = new TreeWriter(this.what, this.dest, manifest, this.signal);
      });
    }
    if (name === ".PKGINFO") return new MemorySink(this.what, (t) => (this.pkginfo = t));
    return undefined;
  }

  /** Closes what a failed read left open. */
  abort(): void {
    this.#tree?.abort();
  }

  /** Checks nothing is missing, then applies the directories' modes. */
  finish(): {
    manifest: PackageManifest;
    pkginfo: string;
    files: ReadonlyMap<string, WrittenFile>;
  } {
    if (!this.#tree) throw new PackageMalformedError(this.what, `it has no ${MANIFEST_NAME}`);
    if (this.pkginfo === undefined) {
      throw new PackageMalformedError(this.what, "it has no .PKGINFO");
    }
    this.#tree.finish();
    return { manifest: this.#tree.manifest, pkginfo: this.pkginfo, files: this.#tree.written };
  }
}

/** Stops a tar read once the manifest is in. */
class ManifestFound extends Error {}

/** Reads only the manifest of the package at `path` (it comes before the tree), without extracting. */
export async function readPackageManifest(path: string): Promise<PackageManifest> {
  let manifest: PackageManifest | undefined;
  const source = openDecompressed(path, "zstd");
  try {
    await readTar(source.chunks, {
      entry(entry) {
        const name = entry.path.replace(/^\.\//, "");
        if (name !== MANIFEST_NAME) {
          if (name.includes("/") || !name.startsWith(".")) throw new ManifestFound();
          return undefined;
        }
        return new MemorySink(path, (text) => {
          manifest = parseManifest(path, text);
        });
      },
    });
  } catch (error) {
    if (!(error instanceof ManifestFound)) {
      await source.close(true).catch(() => {});
      if (error instanceof PackageMalformedError) throw error;
      throw new PackageMalformedError(path, (error as Error).message ?? String(error), error);
    }
  }
  await source.close(true).catch(() => {});
  if (!manifest) throw new PackageMalformedError(path, `it has no ${MANIFEST_NAME}`);
  return manifest;
}
