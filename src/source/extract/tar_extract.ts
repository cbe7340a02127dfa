/**
 * Safe tar extraction into a directory: every member is checked before it is
 * written. Refused (EXTRACT_UNSAFE): absolute paths, `..` components, writes
 * whose parent is a symlink (one the archive made or one already there), hard
 * links whose target is absolute, contains `..` or lies behind a symlink,
 * device nodes and fifos. Kept: permission bits (minus the 022 umask makepkg
 * extracts with, no setuid/setgid), symlinks, file, directory and symlink
 * mtimes (symlinks, and files up to {@link WHOLE_FILE_MAX}, through
 * `lutimes`, which never follows a symlink; larger files through their
 * descriptor), and the holes of GNU sparse files (each data segment is
 * written at its offset by seeking, then the file is extended to its real
 * size). Ownership is not restored (`--no-same-owner`).
 *
 * @module
 */

import { lutimesSync } from "node:fs";
import { throwIfCancelled } from "../../errors.ts";
import { ExtractFailedError, ExtractUnsafeError } from "../errors.ts";
import type { TarDataSink, TarEntry, TarHandler } from "./tar_reader.ts";
import { lstatIfExists, mkdirIfAbsent, sparseWriter, writeAll } from "./_file_ops.ts";
import { UmaskProbe } from "../../_umask_probe.ts";

/** The permission mask applied to extracted modes (makepkg runs with umask 022, without -p). */
const MODE_MASK = 0o755;

/**
 * Files up to this size are gathered in memory and then created, written
 * and closed by one call ({@link SafeTarExtractor}'s `#wholeFile`).
 */
export const WHOLE_FILE_MAX = 64 << 10;

/** What `Deno.writeFileSync` gets for a small file whose mode needs no `fchmod`. */
const CREATE_NEW: Deno.WriteFileOptions = Object.freeze({ createNew: true });

/** Writes tar members safely under `root`; use as a {@link TarHandler}, then call `finish()`. */
export class SafeTarExtractor implements TarHandler {
  readonly #root: string;
  readonly #archive: string;
  readonly #signal?: AbortSignal;
  readonly #knownDirs = new Set<string>([""]);
  readonly #createdDirs = new Set<string>();
  readonly #dirAttributes = new Map<string, { mode: number; mtime: number }>();
  #current: Deno.FsFile | undefined;
  /** The buffer small files are gathered in ({@link WHOLE_FILE_MAX}), made at the first. */
  #gather: Uint8Array | undefined;
  #gathering = false;
  /** The mode of a file created without one (0o666 less the umask), once learned. */
  #createMode: number | undefined;
  readonly #umask = new UmaskProbe();

  /** Creates an extractor writing under `root`; `archive` names the file in messages. */
  constructor(root: string, archive: string, signal?: AbortSignal) {
    this.#root = root;
    this.#archive = archive;
    if (signal) this.#signal = signal;
  }

  /** Checks and creates one member; returns a sink for a file's data. */
  entry(entry: TarEntry): TarDataSink | undefined {
    if (this.#signal?.aborted) throwIfCancelled(this.#signal, `Extraction of ${this.#archive}`);
    const rel = this.#safeRel(entry.path);
    if (rel === "") return undefined;
    const path = this.#under(rel);
    switch (entry.type) {
      case "character-device":
      case "block-device":
      case "fifo":
        throw new ExtractUnsafeError(this.#archive, entry.path, `is a ${entry.type}`);
      case "unsupported":
        throw new ExtractFailedError(
          this.#archive,
          `member ${entry.path} has the unsupported tar type ${JSON.stringify(entry.typeflag)}`,
        );
    }
    this.#ensureParents(rel, entry.path);
    switch (entry.type) {
      case "directory":
        this.#makeDirectory(path, rel, entry);
        return undefined;
      case "symlink":
        return this.#symlink(path, rel, entry);
      case "hardlink":
        this.#hardLink(path, rel, entry);
        return undefined;
      default:
        return this.#openFile(path, rel, entry);
    }
  }

  /** Closes a file left open by a failed extraction. */
  abort(): void {
    try {
      this.#current?.close();
    } catch {
      // already closed
    }
    this.#current = undefined;
  }

  /** Applies directory modes and mtimes, deepest first (after their contents were written). */
  finish(): void {
    const dirs = [...this.#dirAttributes.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [rel, { mode, mtime }] of dirs) {
      const path = this.#under(rel);
      Deno.chmodSync(path, mode & MODE_MASK);
      Deno.utimeSync(path, mtime, mtime);
    }
  }

  /**
   * The path of `rel` (already split into safe components and rejoined)
   * under the root: plain concatenation, as `node:path`'s `join` normalizes
   * every path again (a tenth of the JavaScript time per member of a tree of
   * small files, profiled) and loading `node:path` costs peak RSS.
   */
  #under(rel: string): string {
    return `${this.#root}/${rel}`;
  }

  /**
   * A member path as safe components joined by "/" ("" for the root
   * itself), refusing absolute paths and `..` components, dropping `.` and
   * empty ones. A path with nothing to drop but leading `./` (what tar
   * writes) is sliced, not split and joined again.
   */
  #safeRel(path: string): string {
    if (path.startsWith("/")) {
      throw new ExtractUnsafeError(this.#archive, path, "is an absolute path");
    }
    let start = 0;
    while (path.startsWith("./", start)) start += 2;
    if (plainComponents(path, start)) return path.slice(start);
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.includes("..")) {
      throw new ExtractUnsafeError(this.#archive, path, "contains a '..' component");
    }
    return parts.join("/");
  }

  /**
   * Makes sure every parent of `rel` is a real directory under the root,
   * never a symlink. A directory is known only once all of its parents are,
   * so a known parent ends the check with one lookup.
   */
  #ensureParents(rel: string, member: string, create = true): void {
    const last = rel.lastIndexOf("/");
    if (last < 0 || this.#knownDirs.has(rel.slice(0, last))) return;
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (this.#knownDirs.has(dir)) continue;
      const path = this.#under(dir);
      if (create && mkdirIfAbsent(path, 0o755)) {
        this.#createdDirs.add(dir);
        this.#knownDirs.add(dir);
        continue;
      }
      const info = lstatIfExists(path);
      if (info?.isSymlink) {
        throw new ExtractUnsafeError(
          this.#archive,
          member,
          `would write through the symlink ${dir}`,
        );
      }
      if (info && !info.isDirectory) {
        throw new ExtractFailedError(this.#archive, `${dir} is not a directory (member ${member})`);
      }
      if (!info) {
        if (!create) {
          throw new ExtractFailedError(
            this.#archive,
            `hard link target of ${member} does not exist`,
          );
        }
        Deno.mkdirSync(path, { mode: 0o755 });
        this.#createdDirs.add(dir);
      }
      this.#knownDirs.add(dir);
    }
  }

  /**
   * Creates a directory member: `mkdir` first (it never follows a symlink),
   * and only when something is already there, `lstat` to tell what: no
   * `NotFound` error built per new directory.
   */
  #makeDirectory(path: string, rel: string, entry: TarEntry): void {
    if (!this.#knownDirs.has(rel)) {
      if (mkdirIfAbsent(path, 0o700)) this.#createdDirs.add(rel);
      else {
        const info = Deno.lstatSync(path);
        if (info.isSymlink) {
          throw new ExtractUnsafeError(
            this.#archive,
            entry.path,
            `would replace the symlink ${rel}`,
          );
        }
        if (!info.isDirectory) {
          Deno.removeSync(path);
          Deno.mkdirSync(path, { mode: 0o700 });
          this.#createdDirs.add(rel);
        }
      }
    }
    this.#knownDirs.add(rel);
    // Like libarchive, leave the mode and mtime of a directory that existed before alone.
    if (this.#createdDirs.has(rel)) {
      this.#dirAttributes.set(rel, { mode: entry.mode, mtime: entry.mtime });
    }
  }

  /** Creates a symlink with its own mtime (`lutimes`, as libarchive does). */
  #symlink(path: string, rel: string, entry: TarEntry): undefined {
    this.#clearForNonDirectory(path, rel, entry.path);
    Deno.symlinkSync(entry.linkname, path);
    lutimesSync(path, entry.mtime, entry.mtime);
    return undefined;
  }

  /** Removes a file or symlink at `path`; a directory there is an error. */
  #clearForNonDirectory(path: string, rel: string, member: string): void {
    const info = lstatIfExists(path);
    if (!info) return;
    if (info.isDirectory) {
      throw new ExtractFailedError(
        this.#archive,
        `member ${member} would replace the directory ${rel}`,
      );
    }
    Deno.removeSync(path);
  }

  #hardLink(path: string, rel: string, entry: TarEntry): void {
    const what = `is a hard link to ${JSON.stringify(entry.linkname)}`;
    if (entry.linkname.startsWith("/")) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, an absolute path`);
    }
    const target = entry.linkname.split("/").filter((p) => p !== "" && p !== ".");
    if (target.includes("..") || target.length === 0) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, outside the archive`);
    }
    const targetRel = target.join("/");
    this.#ensureParents(targetRel, entry.path, false);
    const targetPath = this.#under(targetRel);
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(targetPath);
    } catch {
      throw new ExtractFailedError(
        this.#archive,
        `hard link target of ${entry.path} does not exist`,
      );
    }
    if (info.isDirectory) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, a directory`);
    }
    this.#clearForNonDirectory(path, rel, entry.path);
    Deno.linkSync(targetPath, path);
  }

  /**
   * A file of at most {@link WHOLE_FILE_MAX} bytes: its data gathered into
   * one reused buffer, then created with its final mode, written and closed
   * by one call, `Deno.writeFileSync` (`open` with `O_CREAT|O_EXCL` and the
   * mode, `fchmod` to the exact mode whatever the umask unless the mode is
   * the one `open` gives anyway, `write`, `close`),
   * and its mtime set by `lutimes`, which never follows a symlink. Two calls
   * into the runtime per file instead of four and no file object: the
   * runtime's `openSync` and its file object were the largest cost per
   * member of a tree of small files (profiled).
   */
  #wholeFile(path: string, rel: string, entry: TarEntry): TarDataSink {
    const data = this.#gatherBuffer(entry.size);
    let filled = 0;
    const signal = this.#signal;
    const archive = this.#archive;
    return {
      write(chunk: Uint8Array): void {
        if (signal?.aborted) throwIfCancelled(signal, `Extraction of ${archive}`);
        if (filled + chunk.length > data.length) {
          throw new ExtractFailedError(
            archive,
            `member ${entry.path} holds more data than its size`,
          );
        }
        data.set(chunk, filled);
        filled += chunk.length;
      },
      close: (): void => {
        this.#gathering = false;
        this.#createWhole(path, rel, entry, data.subarray(0, filled));
      },
    };
  }

  /** The buffer a whole file is gathered in: the shared one, unless a sink still holds it. */
  #gatherBuffer(size: number): Uint8Array {
    if (this.#gathering) return new Uint8Array(size);
    this.#gathering = true;
    this.#gather ??= new Uint8Array(WHOLE_FILE_MAX);
    return this.#gather.subarray(0, size);
  }

  /**
   * Creates the file `path` holding `data`, with the member's mode and mtime
   * (replacing a file or symlink there); no mode is passed when `open` gives
   * it anyway (0o666 less the umask, learned at the first file), which spares
   * the `fchmod` that `Deno.writeFileSync` makes for a mode.
   */
  #createWhole(path: string, rel: string, entry: TarEntry, data: Uint8Array): void {
    const mode = entry.mode & MODE_MASK;
    const learning = this.#createMode === undefined;
    const options = learning || mode === this.#createMode ? CREATE_NEW : { createNew: true, mode };
    try {
      Deno.writeFileSync(path, data, options); // createNew (O_EXCL) never follows a symlink
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      this.#clearForNonDirectory(path, rel, entry.path);
      Deno.writeFileSync(path, data, options);
    }
    if (learning) {
      this.#createMode = Deno.lstatSync(path).mode! & 0o7777;
      if (this.#createMode !== mode) Deno.chmodSync(path, mode);
    }
    lutimesSync(path, entry.mtime, entry.mtime);
  }

  /**
   * Creates the member's file with its final mode (replacing a file or
   * symlink there, as bsdtar does) and returns its sink: a small one through
   * `#wholeFile`; a larger or sparse one written as its data comes, which is
   * open, write(s), futimens and close, no chmod by path unless the process
   * umask clears some of the mode's bits ({@link UmaskProbe}).
   */
  #openFile(path: string, rel: string, entry: TarEntry): TarDataSink {
    if (!entry.sparse && entry.size <= WHOLE_FILE_MAX) return this.#wholeFile(path, rel, entry);
    const mode = entry.mode & MODE_MASK;
    const options = { write: true, createNew: true, mode };
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, options); // createNew (O_EXCL) never follows a symlink
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      this.#clearForNonDirectory(path, rel, entry.path);
      file = Deno.openSync(path, options);
    }
    const chmodAfter = this.#umask.clears(mode, file);
    this.#current = file;
    const done = () => (this.#current = undefined);
    const signal = this.#signal;
    const archive = this.#archive;
    const write = entry.sparse
      ? sparseWriter(
        file,
        entry.sparse,
        () =>
          new ExtractFailedError(
            archive,
            `member ${entry.path} holds more data than its sparse map`,
          ),
      )
      : (chunk: Uint8Array) => writeAll(file, chunk);
    return {
      write(chunk: Uint8Array): void {
        if (signal?.aborted) throwIfCancelled(signal, `Extraction of ${archive}`);
        write(chunk);
      },
      close(): void {
        if (entry.sparse) file.truncateSync(entry.size); // extends over a trailing hole
        file.utimeSync(entry.mtime, entry.mtime);
        file.close();
        done();
        if (chmodAfter) Deno.chmodSync(path, mode);
      },
    };
  }
}

const SLASH = 0x2f;
const DOT = 0x2e;

/** Whether `path` from `start` on is made of non-empty components other than `.` and `..`. */
function plainComponents(path: string, start: number): boolean {
  let begin = start;
  for (let i = start; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== SLASH) continue;
    const length = i - begin;
    if (length === 0) return false;
    if (
      path.charCodeAt(begin) === DOT &&
      (length === 1 || (length === 2 && path.charCodeAt(begin + 1) === DOT))
    ) {
      return false;
    }
    begin = i + 1;
  }
  return true;
}
