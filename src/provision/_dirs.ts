/**
 * Which directories an uninstall (or an upgrade) may remove, as pacman
 * decides: a directory of the package tree goes when it is empty afterwards
 * and no other worker's record lists it.
 *
 * pacman never removes `/usr/local/bin` on a real system because the
 * `filesystem` package owns it. Here the analogue of that package is "the
 * system": a directory that existed before any worker was installed belongs
 * to it and is never removed. A record's `createdDirs` are the directories
 * the provisioner made, for this worker or for another one (an install
 * inherits the mark of a directory another worker's install made), so in a
 * fresh `--root` every directory goes with the last worker that used it,
 * while a system's own `/usr/local/bin` stays. The root, the user prefix and
 * every ancestor of the state and cache directories are never removed.
 *
 * @module
 */

import { dirname } from "node:path";
import type { Scope } from "../boundary/contained_path.ts";
import { removeIfEmptyDir } from "./_fs.ts";
import type { WorkerRecord } from "./record.ts";

/** Every directory `record` lists: the package tree's directories and the ones its installs made. */
export function recordedDirs(record: WorkerRecord): string[] {
  const dirs = record.files.filter((f) => f.type === "dir").map((f) => f.path);
  return [...new Set([...dirs, ...(record.createdDirs ?? [])])];
}

/** Whether `dir` is one of `keep` or an ancestor of one of them. */
export function isKeptDir(dir: string, keep: readonly string[]): boolean {
  return keep.some((k) => {
    for (let p = k;; p = dirname(p)) {
      if (p === dir) return true;
      if (dirname(p) === p) return false;
    }
  });
}

/** Deepest first, so a parent is tried after its children. */
export function deepestFirst(dirs: Iterable<string>): string[] {
  return [...new Set(dirs)].sort((a, b) =>
    b.split("/").length - a.split("/").length || b.localeCompare(a)
  );
}

/** What decides whether a directory may go. */
export interface DirRemovalRules {
  /** Directories the provisioner made (anything else belongs to the system). */
  readonly made: ReadonlySet<string>;
  /** Directories other workers' records list. */
  readonly listedByOthers: ReadonlySet<string>;
  /** Never removed, nor their ancestors (root, user prefix, state and cache directories). */
  readonly keep: readonly string[];
}

/** Whether `dir` may be removed (when empty) under `rules`. */
export function mayRemoveDir(dir: string, rules: DirRemovalRules): boolean {
  return rules.made.has(dir) && !rules.listedByOthers.has(dir) && !isKeptDir(dir, rules.keep);
}

/** Removes each of `dirs` that {@link mayRemoveDir} allows, that is empty (and, with `scope`, proven inside it); returns those removed. */
export async function removeEmptyDirs(
  dirs: Iterable<string>,
  rules: DirRemovalRules,
  scope?: Scope,
): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of deepestFirst(dirs)) {
    if (mayRemoveDir(dir, rules) && (await removeIfEmptyDir(dir, scope))) removed.push(dir);
  }
  return removed;
}

/** The directories other records list, and those the provisioner made for them. */
export function othersDirs(
  records: readonly WorkerRecord[],
  id: string,
): { listed: Set<string>; made: Set<string> } {
  const listed = new Set<string>();
  const made = new Set<string>();
  for (const r of records) {
    if (r.id === id) continue;
    for (const d of recordedDirs(r)) listed.add(d);
    for (const d of r.createdDirs ?? []) made.add(d);
  }
  return { listed, made };
}
