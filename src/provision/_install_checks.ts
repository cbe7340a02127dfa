/**
 * The checks an install makes before its journal is written: what the other
 * workers' records say, that no entry is written through a symlink or
 * outside the install base (placement), and which paths conflict with
 * files of other workers or of nobody.
 *
 * @module
 */

import { dirname } from "node:path";
import { proveAllContained } from "../boundary/contained_path.ts";
import { refuseIf, throughSymlinkProblem } from "../boundary/package_path.ts";
import { lstatOrNullSync } from "./_fs.ts";
import { othersDirs } from "./_dirs.ts";
import { installScope } from "./_journal.ts";
import type { StagedEntry } from "./_stage.ts";
import type { ConflictingPath } from "./errors.ts";
import type { Layout } from "./paths.ts";
import { listRecords } from "./record.ts";

/** What the other workers' records say: who owns each file, which directories they list and made. */
export interface OtherRecords {
  readonly owners: ReadonlyMap<string, string>;
  /** Every symlink the installed workers (this one included) recorded. */
  readonly symlinks: ReadonlySet<string>;
  readonly listedDirs: ReadonlySet<string>;
  readonly madeDirs: ReadonlySet<string>;
}

/** Reads every record but `id`'s (its symlinks included) into {@link OtherRecords}. */
export async function readOthers(layout: Layout, id: string): Promise<OtherRecords> {
  const records = await listRecords(layout.stateDir, layout.root);
  const owners = new Map<string, string>();
  const symlinks = new Set<string>();
  for (const r of records) {
    for (const f of r.files) {
      if (f.type !== "dir") owners.set(f.path, r.id);
      if (f.type === "symlink") symlinks.add(f.path);
    }
  }
  const { listed, made } = othersDirs(records, id);
  return { owners, symlinks, listedDirs: listed, madeDirs: made };
}

/**
 * Refuses (with `UnsafePathError`) any entry that would be written through
 * a symlink a worker installed or this install stages, or that resolves
 * (its existing parents' symlinks followed) outside the install base or
 * into the provisioner's own directories.
 */
export async function checkPlacement(
  layout: Layout,
  id: string,
  entries: readonly StagedEntry[],
  others: OtherRecords,
): Promise<void> {
  const symlinks = new Set(others.symlinks);
  for (const e of entries) if (e.type === "symlink") symlinks.add(e.dest);
  const source = `the package of ${id}`;
  for (const e of entries) refuseIf(throughSymlinkProblem(e.dest, symlinks), e.dest, source);
  await proveAllContained(entries.map((e) => e.dest), installScope(layout, source));
}

/**
 * The entries that conflict: a directory over a non-directory, a file over
 * a directory (even forced), a file over another worker's or nobody's
 * (unless `force`). Records each entry's `lstat` in `seen`.
 */
export async function findConflicts(
  id: string,
  entries: readonly StagedEntry[],
  force: boolean,
  owners: ReadonlyMap<string, string>,
  seen: Map<string, Deno.FileInfo | null>,
): Promise<ConflictingPath[]> {
  const conflicts: ConflictingPath[] = [];
  const absentDirs = new Set<string>(); // nothing lies below them: no lstat (entries: parents first)
  for (const e of entries) {
    const st = absentDirs.has(dirname(e.dest)) ? null : lstatOrNullSync(e.dest);
    seen.set(e.dest, st); // the journal's `hadOriginal` (the tree lock is held: nothing moves)
    if (!st && e.type === "dir") absentDirs.add(e.dest);
    if (!st) continue;
    if (e.type === "dir") {
      if (
        !st.isDirectory &&
        !(st.isSymlink && (await Deno.stat(e.dest).catch(() => null))?.isDirectory)
      ) {
        conflicts.push({ path: e.dest, owner: owners.get(e.dest) ?? null });
      }
      continue;
    }
    if (st.isDirectory) {
      conflicts.push({ path: e.dest, owner: null }); // never replace a directory, even forced
      continue;
    }
    const owner = owners.get(e.dest) ?? null;
    if (owner !== id && !force) conflicts.push({ path: e.dest, owner });
  }
  return conflicts;
}
