/**
 * What a prepared srcdir points at: makepkg symlinks each source into it, so
 * the sandbox must show the link targets (read-only) too.
 *
 * @module
 */

import { isAbsolute, relative } from "node:path";

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Returns the resolved targets of the symlinks directly inside `srcdir` that
 * lie outside `srcdir` and outside each of `visible` (dangling links are skipped).
 */
export function sourceLinkTargets(srcdir: string, visible: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const entry of Deno.readDirSync(srcdir)) {
    if (!entry.isSymlink) continue;
    try {
      const target = Deno.realPathSync(`${srcdir}/${entry.name}`);
      if ([srcdir, ...visible].some((dir) => isWithin(target, dir))) continue;
      targets.add(target);
    } catch {
      // dangling: the function will report it
    }
  }
  return [...targets];
}
