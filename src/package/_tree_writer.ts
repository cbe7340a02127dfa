/**
 * The member-by-member half of reading a package: each tar member after the
 * manifest is checked against it (listed, once, same type, mode, size and
 * symlink target, not behind a symlink the archive made) before anything is
 * written, then written with synchronous calls (an async call per file or
 * chunk costs a thread hand-off each, several times the call itself here),
 * a file hashed while it is written and compared with its manifest digest
 * when it ends. A file is created with its final permission bits, so it
 * needs no `chmod` by path afterwards unless the process umask clears some
 * of them ({@link ModeProbe}) or they include setuid, setgid or sticky
 * bits (set only once the file's digest matched); directories are made
 * private and get their modes at the end, deepest first. Each file's digest
 * is kept with its stamp right after it was written (one `fstat` on the
 * open file: inode, size, mtime in ms, mode), so staging can take the file
 * without hashing it again while its stamp still matches ({@link WrittenFile}).
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { throwIfCancelled } from "../errors.ts";
import type { TarDataSink, TarEntry } from "../source/extract/tar_reader.ts";
import { PackageCorruptError } from "./errors.ts";
import type { ManifestFile, PackageManifest } from "./manifest.ts";
import { UmaskProbe } from "../_umask_probe.ts";

/** The permission bits a file is created with; the others are set after it was verified. */
const CREATE_BITS = 0o777;

/**
 * A file the reader wrote and verified: its digest, and its stamp right
 * after it was written (the digest holds while the file still has it).
 */
export interface WrittenFile {
  /** sha256 of the data written (equal to the manifest's). */
  readonly sha256: string;
  /** Its `fstat` once written, as the package cache stamps files (mtime in ms, Deno's resolution). */
  readonly stamp: {
    readonly ino: number;
    readonly size: number;
    readonly mtimeMs: number;
    readonly mode: number;
  };
}

/** Writes the members of one package under `dest`, verifying each against the manifest. */
export class TreeWriter {
  /** Each file written, by its path in the tree. */
  readonly written: Map<string, WrittenFile> = new Map();
  readonly #expected = new Map<string, ManifestFile>();
  readonly #seen = new Set<string>();
  readonly #symlinks = new Set<string>();
  readonly #modes = new UmaskProbe();
  #open: Deno.FsFile | undefined;

  /** Starts a tree for `manifest` under `dest` (an existing directory); `what` names the package. */
  constructor(
    readonly what: string,
    readonly dest: string,
    readonly manifest: PackageManifest,
    readonly signal?: AbortSignal,
  ) {
    for (const f of manifest.files) this.#expected.set(f.path, f);
  }

  /** Checks `entry` (whose leading `./` and trailing `/` are cut to `path`) and writes it; a file's data goes to the sink returned. */
  member(path: string, entry: TarEntry): TarDataSink | undefined {
    throwIfCancelled(this.signal, "Reading the package");
    const expected = this.#check(path, entry);
    const abs = `${this.dest}/${path}`; // a manifest path: relative, no `.`, `..` or empty parts
    if (expected.type === "dir") {
      Deno.mkdirSync(abs, { mode: 0o700 });
      return undefined;
    }
    if (expected.type === "symlink") {
      this.#symlinks.add(path);
      Deno.symlinkSync(entry.linkname, abs);
      return undefined;
    }
    const mode = expected.mode & CREATE_BITS;
    // createNew (O_EXCL) never follows a symlink at the leaf; parents were checked above.
    const file = Deno.openSync(abs, { write: true, createNew: true, mode });
    this.#open = file;
    const chmodAfter = this.#modes.clears(mode, file) || mode !== expected.mode;
    const closed = (done?: WrittenFile) => {
      this.#open = undefined;
      if (done) this.written.set(path, done);
    };
    return new FileSink(
      file,
      expected,
      this.what,
      chmodAfter ? abs : undefined,
      closed,
      this.signal,
    );
  }

  /** Closes the file a failed read left open. */
  abort(): void {
    try {
      this.#open?.close();
    } catch {
      // already closed
    }
    this.#open = undefined;
  }

  /** The manifest's entry for `path` when `entry` agrees with it; throws otherwise. */
  #check(path: string, entry: TarEntry): ManifestFile {
    const expected = this.#expected.get(path);
    if (!expected) throw new PackageCorruptError(this.what, `${path} is not in the manifest`);
    if (this.#seen.has(path)) throw new PackageCorruptError(this.what, `${path} appears twice`);
    this.#seen.add(path);
    const type = entry.type === "directory" ? "dir" : entry.type;
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
    if (expected.type === "file" && (entry.sparse || entry.size !== expected.size)) {
      throw new PackageCorruptError(
        this.what,
        `${path} holds ${entry.size} bytes${
          entry.sparse ? " as a sparse file" : ""
        }, the manifest says ${expected.size}`,
      );
    }
    if (expected.type === "symlink" && entry.linkname !== expected.target) {
      throw new PackageCorruptError(
        this.what,
        `${path} points at ${entry.linkname}, the manifest says ${expected.target}`,
      );
    }
    for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
      const parent = path.slice(0, end);
      if (this.#symlinks.has(parent)) {
        throw new PackageCorruptError(this.what, `${path} lies behind the symlink ${parent}`);
      }
    }
    return expected;
  }

  /** Checks nothing is missing, then applies the directories' modes, deepest first. */
  finish(): void {
    const missing = this.manifest.files.find((f) => !this.#seen.has(f.path));
    if (missing) {
      throw new PackageCorruptError(this.what, `${missing.path} is missing from the archive`);
    }
    const dirs = this.manifest.files.filter((f) => f.type === "dir");
    dirs.sort((a, b) => b.path.length - a.path.length);
    for (const d of dirs) Deno.chmodSync(`${this.dest}/${d.path}`, d.mode);
  }
}

/** Writes and hashes one file; at its end, compares it with the manifest. */
class FileSink implements TarDataSink {
  readonly #hash: Hash = createHash("sha256");
  #size = 0;

  /** A sink into `file`, verified against `expected`; `chmodPath` gets the exact mode once verified. */
  constructor(
    readonly file: Deno.FsFile,
    readonly expected: ManifestFile,
    readonly what: string,
    readonly chmodPath: string | undefined,
    readonly closed: (written?: WrittenFile) => void,
    readonly signal?: AbortSignal,
  ) {}

  write(chunk: Uint8Array): void {
    throwIfCancelled(this.signal, "Reading the package");
    this.#size += chunk.length;
    if (this.#size > this.expected.size) {
      throw new PackageCorruptError(this.what, `${this.expected.path} is longer than its manifest`);
    }
    this.#hash.update(chunk);
    for (let at = 0; at < chunk.length;) at += this.file.writeSync(chunk.subarray(at));
  }

  close(): void {
    let info;
    try {
      info = this.file.statSync();
    } finally {
      this.file.close();
      this.closed();
    }
    const got = this.#hash.digest("hex");
    if (got !== this.expected.sha256 || this.#size !== this.expected.size) {
      throw new PackageCorruptError(
        this.what,
        `${this.expected.path}: expected sha256 ${this.expected.sha256}, got ${got}`,
      );
    }
    if (this.chmodPath) Deno.chmodSync(this.chmodPath, this.expected.mode); // mtime unchanged
    const mode = this.chmodPath ? this.expected.mode : info.mode! & 0o7777;
    const mtimeMs = info.mtime?.getTime() ?? -1;
    const stamp = { ino: info.ino ?? -1, size: info.size, mtimeMs, mode };
    this.closed({ sha256: got, stamp });
  }
}
