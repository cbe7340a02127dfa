/**
 * A `find .`-like walk of a package tree (never following symlinks), shared
 * by the tidy steps.
 *
 * @module
 */

import { join } from "node:path";

/** One path of a package tree. */
export interface TreePath {
  /** Relative to the tree, `/`-separated. */
  readonly rel: string;
  /** Absolute. */
  readonly path: string;
  /** Its lstat. */
  readonly info: Deno.FileInfo;
}

/**
 * Every path under `dir` (parents first, names sorted); `depthFirst` lists
 * children before their parent; `readdirOrder` keeps the directory's own
 * order, as `find` does (where the result depends on it). Synchronous
 * calls: an async lstat per path costs a thread hand-off each, several
 * times the call (a 4,571-file tree: BENCHMARKS.md, install end to end).
 */
export function walkPackage(
  dir: string,
  depthFirst = false,
  prefix = "",
  readdirOrder = false,
): Promise<TreePath[]> {
  const out: TreePath[] = [];
  walkInto(dir, depthFirst, prefix, readdirOrder, out);
  return Promise.resolve(out);
}

function walkInto(
  dir: string,
  depthFirst: boolean,
  prefix: string,
  readdirOrder: boolean,
  out: TreePath[],
): void {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(prefix ? join(dir, prefix) : dir)) names.push(e.name);
  } catch {
    return;
  }
  if (!readdirOrder) names.sort();
  for (const name of names) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const path = join(dir, rel);
    const info = Deno.lstatSync(path);
    const entry = { rel, path, info };
    if (!depthFirst) out.push(entry);
    if (info.isDirectory) walkInto(dir, depthFirst, rel, readdirOrder, out);
    if (depthFirst) out.push(entry);
  }
}

/** Removes `path` (recursively for directories; a symlink itself, never its target); absent is fine. */
export async function removePath(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}
