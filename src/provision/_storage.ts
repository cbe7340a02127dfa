/**
 * Storage failures as typed errors: `ENOSPC` and `EDQUOT` become
 * {@link DiskFullError}, `EROFS` {@link ReadOnlyFilesystemError}, `EACCES`
 * (and a missing Deno permission) `PermissionDeniedError`, each naming the
 * path. And the free-space check made before staging, from `statfs(2)`
 * (`node:fs/promises`; Deno has no `Deno.statfs`).
 *
 * @module
 */

import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { ProvisionerError } from "../errors.ts";
import { DiskFullError, PermissionDeniedError, ReadOnlyFilesystemError } from "./errors.ts";

/** The path a Deno file-system error names (`...: writefile '/x'`), or `fallback`. */
function pathIn(error: Error, fallback: string): string {
  return /'([^']+)'\s*$/.exec(error.message)?.[1] ?? fallback;
}

/** The typed error for a storage failure `error` near `path`, or `null` when it is none of them. */
export function storageErrorOf(error: unknown, path: string): ProvisionerError | null {
  if (error instanceof ProvisionerError || !(error instanceof Error)) return null;
  const code = (error as { code?: string }).code;
  const at = pathIn(error, path);
  if (code === "ENOSPC" || code === "EDQUOT") return new DiskFullError(at, "", { cause: error });
  if (code === "EROFS") return new ReadOnlyFilesystemError(at, { cause: error });
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new PermissionDeniedError(at, { cause: error });
  }
  return null;
}

/** A `.catch()` handler that rethrows storage failures typed (see {@link storageErrorOf}), others as they are. */
export function rethrowStorage(path: string): (error: unknown) => never {
  return (error) => {
    throw storageErrorOf(error, path) ?? error;
  };
}

/** Bytes available to this user on the file system of `path` (its deepest existing ancestor). */
export async function freeBytes(path: string): Promise<number | null> {
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
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) total += await treeBytes(path);
    else if (e.isFile) total += (await Deno.lstat(path)).size;
  }
  return total;
}

/** Throws {@link DiskFullError} when the file system of `dir` has less than `bytes` (+1 MiB) free. */
export async function ensureFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  const needed = bytes + (1 << 20);
  if (free !== null && free < needed) {
    throw new DiskFullError(
      dir,
      `${what} needs ${needed} bytes, ${free} are free`,
    );
  }
}
