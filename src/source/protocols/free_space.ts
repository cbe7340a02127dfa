/**
 * Free-space checks before a download or an extraction writes: `statfs` of
 * the directory (`node:fs`, which Deno gates behind `--allow-sys=statfs`).
 * Without that permission, or on a file system that cannot tell, the check
 * is skipped and a full disk is still reported by the write itself
 * (`DISK_FULL`, see `fileSystemErrorOf`).
 *
 * `node:fs` is imported only once the permission is known to be granted, so
 * a run without `statfs` does not pay for loading it: 1 GiB fetched with
 * `--deny-sys=statfs`, 5 runs each, peak RSS median 62.1 -> 60.8 MiB over
 * HTTP, 66.9 -> 66.1 MiB over HTTPS (3 runs); in a script importing only
 * `node:crypto` and `node:path`, 39 -> 42 MiB.
 *
 * @module
 */

import { InsufficientSpaceError } from "../errors.ts";

/** Bytes available to this user in the file system holding `dir`, or undefined when unknown. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const granted = await Deno.permissions.query({ name: "sys", kind: "statfs" });
    if (granted.state !== "granted") return undefined;
  } catch {
    return undefined;
  }
  const { statfs } = await import("node:fs");
  return await new Promise((resolve) => {
    try {
      statfs(dir, (error, stats) => {
        if (error || !stats || !(stats.bsize > 0)) return resolve(undefined);
        resolve(Number(stats.bavail) * Number(stats.bsize));
      });
    } catch {
      resolve(undefined);
    }
  });
}

/**
 * Throws {@link InsufficientSpaceError} (`DISK_FULL`) when `dir` has less than
 * `needed` bytes free; `what` names the write in the message. Nothing is
 * checked when `needed` is unknown or the free space cannot be read.
 */
export async function assertFreeSpace(
  dir: string,
  needed: number | undefined,
  what: string,
): Promise<void> {
  if (needed === undefined || !(needed > 0)) return;
  const free = await freeBytes(dir);
  if (free !== undefined && free < needed) {
    throw new InsufficientSpaceError(what, dir, needed, free);
  }
}
