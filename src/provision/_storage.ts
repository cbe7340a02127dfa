/**
 * Storage failures of the provision side as typed errors, through the one
 * owner of that mapping, `fileSystemErrorOf` (`src/source/errors.ts`):
 * `ENOSPC` → `DISK_FULL`, `EDQUOT` → `QUOTA_EXCEEDED` (both exit
 * `diskFull`), `EROFS` → `READ_ONLY_FS`, `EACCES` → `ACCESS_DENIED` (exit
 * `permissionDenied`), each naming the path Deno names and the fix; a
 * missing Deno permission is `PermissionDeniedError`. And the free-space
 * check made before staging, from `statfs(2)` (`node:fs/promises`; Deno
 * has no `Deno.statfs`).
 *
 * @module
 */

import { dirname } from "../_path.ts";
import { ProvisionerError } from "../errors.ts";
import { fileSystemErrorOf, InsufficientSpaceError } from "../source/errors.ts";
import { PermissionDeniedError } from "./errors.ts";

/** The path a Deno file-system error names (`...: writefile '/x'`), or `fallback`. */
function pathIn(error: Error, fallback: string): string {
  return /'([^']+)'\s*$/.exec(error.message)?.[1] ?? fallback;
}

/** The typed error for a storage failure `error` near `path`, or `null` when it is none of them. */
export function storageErrorOf(error: unknown, path: string): ProvisionerError | null {
  if (error instanceof ProvisionerError || !(error instanceof Error)) return null;
  if (error instanceof Deno.errors.NotCapable) {
    return new PermissionDeniedError(pathIn(error, path), { cause: error });
  }
  return fileSystemErrorOf(error, pathIn(error, path)) ?? null;
}

/** A `.catch()` handler that rethrows storage failures typed (see {@link storageErrorOf}), others as they are. */
export function rethrowStorage(path: string): (error: unknown) => never {
  return (error) => {
    throw storageErrorOf(error, path) ?? error;
  };
}

/** Bytes available to this user on the file system of `path` (its deepest existing ancestor). */
export async function freeBytes(path: string): Promise<number | null> {
  // Imported here, not by `verify`'s start: loading `node:fs` costs 1.5x Deno's whole start (BENCHMARKS.md).
  const { statfs } = await import("node:fs/promises");
  for (let p = path;; p = dirname(p)) {
    try {
      const s = await statfs(p);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      if (dirname(p) === p) return null;
    }
  }
}

/** Total size of the regular files under `dir` (symlinks not followed). */
export function treeBytes(dir: string): Promise<number> {
  return Promise.resolve(treeBytesSync(dir));
}

/** {@link treeBytes} with synchronous calls (one thread hand-off less per file). */
function treeBytesSync(dir: string): number {
  let total = 0;
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) total += treeBytesSync(path);
    else if (e.isFile) total += Deno.lstatSync(path).size;
  }
  return total;
}

/**
 * Throws `InsufficientSpaceError` (`DISK_FULL`) when the file system of
 * `dir` has less than `bytes` (+1 MiB) free for `what`.
 */
export async function ensureFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  const needed = bytes + (1 << 20);
  if (free !== null && free < needed) throw new InsufficientSpaceError(what, dir, needed, free);
}
