/**
 * What a prepared srcdir points at: makepkg symlinks each source into it, and
 * a git checkout borrows the objects of its mirror in the source cache
 * (`.git/objects/info/alternates`), so the sandbox must show the link
 * targets and the mirrors' object directories (read-only) too; without them
 * `git` in pkgver() or build() fails when the cache is hidden (a user's
 * `~/.cache`, anything under /tmp).
 *
 * @module
 */

import { isAbsolute, join, relative, resolve } from "node:path";

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

/**
 * Returns the object directories the git checkouts directly inside `srcdir`
 * borrow from (`.git/objects/info/alternates`), outside `srcdir` and `visible`.
 */
export function gitAlternates(srcdir: string, visible: readonly string[]): string[] {
  const found = new Set<string>();
  for (const entry of Deno.readDirSync(srcdir)) {
    if (!entry.isDirectory) continue;
    const objects = join(srcdir, entry.name, ".git/objects");
    let text: string;
    try {
      text = Deno.readTextFileSync(join(objects, "info/alternates"));
    } catch {
      continue; // not a git checkout, or no alternates
    }
    for (const line of text.split("\n")) {
      const path = line.trim();
      if (!path || path.startsWith("#")) continue;
      const dir = resolve(objects, path);
      if ([srcdir, ...visible].some((v) => isWithin(dir, v))) continue;
      found.add(dir);
    }
  }
  return [...found];
}
