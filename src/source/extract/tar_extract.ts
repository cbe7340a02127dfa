/**
 * Safe tar extraction into a directory: every member is checked before it is
 * written. Refused (EXTRACT_UNSAFE): absolute paths, `..` components, writes
 * whose parent is a symlink (one the archive made or one already there), hard
 * links whose target is absolute, contains `..` or lies behind a symlink,
 * device nodes and fifos. Kept: permission bits (minus the 022 umask makepkg
 * extracts with, no setuid/setgid), symlinks, file and directory mtimes.
 * Ownership is not restored (`--no-same-owner`).
 *
 * @module
 */

import { join } from "@std/path";
import { throwIfCancelled } from "../../errors.ts";
import { ExtractFailedError, ExtractUnsafeError } from "../errors.ts";
import type { TarDataSink, TarEntry, TarHandler } from "./tar_reader.ts";

/** The permission mask applied to extracted modes (makepkg runs with umask 022, without -p). */
const MODE_MASK = 0o755;

/** Writes tar members safely under `root`; use as a {@link TarHandler}, then call `finish()`. */
export class SafeTarExtractor implements TarHandler {
  readonly #root: string;
  readonly #archive: string;
  readonly #signal?: AbortSignal;
  readonly #knownDirs = new Set<string>([""]);
  readonly #createdDirs = new Set<string>();
  readonly #dirAttributes = new Map<string, { mode: number; mtime: number }>();

  /** Creates an extractor writing under `root`; `archive` names the file in messages. */
  constructor(root: string, archive: string, signal?: AbortSignal) {
    this.#root = root;
    this.#archive = archive;
    if (signal) this.#signal = signal;
  }

  /** Checks and creates one member; returns a sink for a file's data. */
  async entry(entry: TarEntry): Promise<TarDataSink | undefined> {
    throwIfCancelled(this.#signal, `Extraction of ${this.#archive}`);
    const parts = this.#safeParts(entry.path, entry.path);
    if (parts.length === 0) return undefined;
    const rel = parts.join("/");
    const path = join(this.#root, rel);
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
    await this.#ensureParents(parts, entry.path);
    switch (entry.type) {
      case "directory":
        await this.#makeDirectory(path, rel, entry);
        return undefined;
      case "symlink":
        await this.#clearForNonDirectory(path, rel, entry.path);
        await Deno.symlink(entry.linkname, path);
        return undefined;
      case "hardlink":
        await this.#hardLink(path, rel, entry);
        return undefined;
      default:
        await this.#clearForNonDirectory(path, rel, entry.path);
        return await this.#openFile(path, entry);
    }
  }

  /** Applies directory modes and mtimes, deepest first (after their contents were written). */
  async finish(): Promise<void> {
    const dirs = [...this.#dirAttributes.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [rel, { mode, mtime }] of dirs) {
      const path = join(this.#root, rel);
      await Deno.chmod(path, mode & MODE_MASK);
      await Deno.utime(path, mtime, mtime);
    }
  }

  /** Splits a member path into safe components, refusing absolute paths and `..`. */
  #safeParts(path: string, member: string): string[] {
    if (path.startsWith("/")) {
      throw new ExtractUnsafeError(this.#archive, member, "is an absolute path");
    }
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.includes("..")) {
      throw new ExtractUnsafeError(this.#archive, member, "contains a '..' component");
    }
    return parts;
  }

  /** Makes sure every parent of `parts` is a real directory under the root, never a symlink. */
  async #ensureParents(parts: string[], member: string, create = true): Promise<void> {
    for (let i = 1; i < parts.length; i++) {
      const rel = parts.slice(0, i).join("/");
      if (this.#knownDirs.has(rel)) continue;
      const path = join(this.#root, rel);
      let info: Deno.FileInfo | undefined;
      try {
        info = await Deno.lstat(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (info?.isSymlink) {
        throw new ExtractUnsafeError(
          this.#archive,
          member,
          `would write through the symlink ${rel}`,
        );
      }
      if (info && !info.isDirectory) {
        throw new ExtractFailedError(this.#archive, `${rel} is not a directory (member ${member})`);
      }
      if (!info) {
        if (!create) {
          throw new ExtractFailedError(
            this.#archive,
            `hard link target of ${member} does not exist`,
          );
        }
        await Deno.mkdir(path, { mode: 0o755 });
        this.#createdDirs.add(rel);
      }
      this.#knownDirs.add(rel);
    }
  }

  async #makeDirectory(path: string, rel: string, entry: TarEntry): Promise<void> {
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.lstat(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (info?.isSymlink) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `would replace the symlink ${rel}`);
    }
    if (info && !info.isDirectory) await Deno.remove(path);
    if (!info?.isDirectory) {
      await Deno.mkdir(path, { mode: 0o700 });
      this.#createdDirs.add(rel);
    }
    this.#knownDirs.add(rel);
    // Like libarchive, leave the mode and mtime of a directory that existed before alone.
    if (this.#createdDirs.has(rel)) {
      this.#dirAttributes.set(rel, { mode: entry.mode, mtime: entry.mtime });
    }
  }

  /** Removes a file or symlink at `path`; a directory there is an error. */
  async #clearForNonDirectory(path: string, rel: string, member: string): Promise<void> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    if (info.isDirectory) {
      throw new ExtractFailedError(
        this.#archive,
        `member ${member} would replace the directory ${rel}`,
      );
    }
    await Deno.remove(path);
  }

  async #hardLink(path: string, rel: string, entry: TarEntry): Promise<void> {
    const what = `is a hard link to ${JSON.stringify(entry.linkname)}`;
    if (entry.linkname.startsWith("/")) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, an absolute path`);
    }
    const target = entry.linkname.split("/").filter((p) => p !== "" && p !== ".");
    if (target.includes("..") || target.length === 0) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, outside the archive`);
    }
    await this.#ensureParents(target, entry.path, false);
    const targetPath = join(this.#root, target.join("/"));
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(targetPath);
    } catch {
      throw new ExtractFailedError(
        this.#archive,
        `hard link target of ${entry.path} does not exist`,
      );
    }
    if (info.isDirectory) {
      throw new ExtractUnsafeError(this.#archive, entry.path, `${what}, a directory`);
    }
    await this.#clearForNonDirectory(path, rel, entry.path);
    await Deno.link(targetPath, path);
  }

  async #openFile(path: string, entry: TarEntry): Promise<TarDataSink> {
    const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
    const signal = this.#signal;
    const archive = this.#archive;
    return {
      async write(chunk: Uint8Array): Promise<void> {
        throwIfCancelled(signal, `Extraction of ${archive}`);
        let written = 0;
        while (written < chunk.length) written += await file.write(chunk.subarray(written));
      },
      async close(): Promise<void> {
        file.close();
        await Deno.chmod(path, entry.mode & MODE_MASK);
        await Deno.utime(path, entry.mtime, entry.mtime);
      },
    };
  }
}
