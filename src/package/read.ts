/**
 * Reads a worker package into a directory, verifying while it streams: the
 * file's sha256 when the caller knows it, then every member against the
 * manifest (`.WORKER.json`, which comes before the tree): its type, mode,
 * size and sha256, nothing missing and nothing extra, nothing written
 * through a symlink. Any difference is {@link PackageCorruptError}; the
 * caller removes the directory.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { throwIfCancelled } from "../errors.ts";
import { openDecompressed } from "../source/extract/decompress.ts";
import { readTar, type TarDataSink, type TarEntry } from "../source/extract/tar_reader.ts";
import { PackageCorruptError, PackageMalformedError } from "./errors.ts";
import {
  MANIFEST_NAME,
  type ManifestFile,
  type PackageManifest,
  parseManifest,
} from "./manifest.ts";

/** What {@link readPackage} found. */
export interface ReadPackage {
  /** The verified manifest. */
  readonly manifest: PackageManifest;
  /** `.PKGINFO` as text. */
  readonly pkginfo: string;
  /** sha256 of the package file. */
  readonly sha256: string;
}

/** Options of {@link readPackage}. */
export interface ReadPackageOptions {
  /** The sha256 the file must have (from a registry or a cache index). @default not checked */
  readonly sha256?: string;
  /** Cancels the read. */
  readonly signal?: AbortSignal;
}

const MAX_METADATA = 16 << 20;

/** sha256 of a file. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  using f = await Deno.open(path, { read: true });
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
  }
  return hash.digest("hex");
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

/** Writes one verified file. */
class FileSink implements TarDataSink {
  readonly #hash = createHash("sha256");
  #size = 0;
  constructor(
    readonly file: Deno.FsFile,
    readonly expected: ManifestFile,
    readonly what: string,
  ) {}
  async write(chunk: Uint8Array): Promise<void> {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    for (let at = 0; at < chunk.length;) at += await this.file.write(chunk.subarray(at));
  }
  close(): void {
    this.file.close();
    const got = this.#hash.digest("hex");
    if (got !== this.expected.sha256 || this.#size !== this.expected.size) {
      throw new PackageCorruptError(
        this.what,
        `${this.expected.path}: expected sha256 ${this.expected.sha256}, got ${got}`,
      );
    }
  }
}

/** Reads the package at `path` into the (empty or absent) directory `dest`. */
export async function readPackage(
  path: string,
  dest: string,
  options: ReadPackageOptions = {},
): Promise<ReadPackage> {
  const what = path;
  const sha256 = await sha256OfFile(path);
  if (options.sha256 && options.sha256 !== sha256) {
    throw new PackageCorruptError(what, `expected sha256 ${options.sha256}, got ${sha256}`);
  }
  await Deno.mkdir(dest, { recursive: true });
  const state = new ReadState(what, dest, options.signal);
  const source = openDecompressed(path, "zstd", options.signal);
  try {
    await readTar(source.chunks, state);
    await source.close();
  } catch (error) {
    await source.close(true).catch(() => {});
    if (error instanceof PackageCorruptError || error instanceof PackageMalformedError) throw error;
    throw new PackageMalformedError(what, (error as Error).message ?? String(error), error);
  }
  return { ...(await state.finish()), sha256 };
}

/** The member-by-member checks of one read. */
class ReadState {
  manifest?: PackageManifest;
  pkginfo?: string;
  readonly #expected = new Map<string, ManifestFile>();
  readonly #seen = new Set<string>();
  readonly #symlinks = new Set<string>();
  constructor(readonly what: string, readonly dest: string, readonly signal?: AbortSignal) {}

  entry(entry: TarEntry): TarDataSink | undefined | Promise<TarDataSink | undefined> {
    throwIfCancelled(this.signal, "Reading the package");
    const path = entry.path.replace(/^\.\//, "").replace(/\/$/, "");
    if (!path.includes("/") && path.startsWith(".")) return this.#metadata(path);
    if (!this.manifest) {
      throw new PackageMalformedError(this.what, `${path} comes before the manifest`);
    }
    return this.#content(path, entry);
  }

  #metadata(name: string): TarDataSink | undefined {
    if (name === MANIFEST_NAME) {
      return new MemorySink(this.what, (text) => {
        this.manifest = parseManifest(this.what, text);
        for (const f of this.manifest.files) this.#expected.set(f.path, f);
      });
    }
    if (name === ".PKGINFO") return new MemorySink(this.what, (t) => (this.pkginfo = t));
    return undefined;
  }

  async #content(path: string, entry: TarEntry): Promise<TarDataSink | undefined> {
    const expected = this.#expected.get(path);
    const type = entry.type === "directory" ? "dir" : entry.type;
    if (!expected) throw new PackageCorruptError(this.what, `${path} is not in the manifest`);
    if (this.#seen.has(path)) throw new PackageCorruptError(this.what, `${path} appears twice`);
    this.#seen.add(path);
    if (expected.type !== type) {
      throw new PackageCorruptError(
        this.what,
        `${path} is a ${type}, the manifest says ${expected.type}`,
      );
    }
    if (expected.type !== "symlink" && expected.mode !== entry.mode) {
      throw new PackageCorruptError(
        this.what,
        `${path} has mode ${entry.mode.toString(8)}, the manifest says ${
          expected.mode.toString(8)
        }`,
      );
    }
    for (let p = dirname(path); p !== "."; p = dirname(p)) {
      if (this.#symlinks.has(p)) {
        throw new PackageCorruptError(this.what, `${path} lies behind the symlink ${p}`);
      }
    }
    const abs = join(this.dest, path);
    if (expected.type === "dir") {
      await Deno.mkdir(abs, { mode: 0o700 });
      return undefined;
    }
    if (expected.type === "symlink") {
      if (entry.linkname !== expected.target) {
        throw new PackageCorruptError(
          this.what,
          `${path} points at ${entry.linkname}, the manifest says ${expected.target}`,
        );
      }
      this.#symlinks.add(path);
      await Deno.symlink(entry.linkname, abs);
      return undefined;
    }
    const file = await Deno.open(abs, { write: true, createNew: true, mode: 0o600 });
    return new FileSink(file, expected, this.what);
  }

  /** Checks nothing is missing, then applies the modes (directories last, deepest first). */
  async finish(): Promise<{ manifest: PackageManifest; pkginfo: string }> {
    if (!this.manifest) throw new PackageMalformedError(this.what, `it has no ${MANIFEST_NAME}`);
    if (this.pkginfo === undefined) {
      throw new PackageMalformedError(this.what, "it has no .PKGINFO");
    }
    const missing = this.manifest.files.filter((f) => !this.#seen.has(f.path));
    if (missing.length) {
      throw new PackageCorruptError(this.what, `${missing[0].path} is missing from the archive`);
    }
    const ordered = [...this.manifest.files].sort((a, b) => b.path.length - a.path.length);
    for (const f of ordered) {
      if (f.type !== "symlink") await Deno.chmod(join(this.dest, f.path), f.mode);
    }
    return { manifest: this.manifest, pkginfo: this.pkginfo };
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
