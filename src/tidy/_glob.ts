/**
 * Pathname expansion inside a package tree, as bash expands an unquoted
 * word with `*`, `?` and `[...]` (no `dotglob`): used by the `docs` and
 * `purge` steps, whose libmakepkg code relies on it.
 *
 * @module
 */

import { join } from "node:path";

/** Whether a path segment holds a glob character. */
function isPattern(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/** A segment pattern as an anchored regexp (a leading `.` must be matched literally). */
function segmentRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) out += "\\[";
      else {
        let set = segment.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = "^" + set.slice(1);
        out += `[${set}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Names in `dir`, or none when it is not a readable directory. */
async function namesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch {
    return [];
  }
  return names.sort();
}

/**
 * Expands `pattern` (relative to `base`) into the relative paths it matches
 * that exist; a pattern without glob characters is returned when the path
 * exists. Empty segments (`usr//info`) are ignored, as the kernel does.
 */
export async function expandInTree(base: string, pattern: string): Promise<string[]> {
  const segments = pattern.split("/").filter((s) => s !== "" && s !== ".");
  let current = [""];
  for (const segment of segments) {
    const next: string[] = [];
    for (const rel of current) {
      if (!isPattern(segment)) {
        next.push(rel ? `${rel}/${segment}` : segment);
        continue;
      }
      const re = segmentRegExp(segment);
      for (const name of await namesIn(join(base, rel))) {
        if (name.startsWith(".") && !segment.startsWith(".")) continue;
        if (re.test(name)) next.push(rel ? `${rel}/${name}` : name);
      }
    }
    current = next;
  }
  const out: string[] = [];
  for (const rel of current) {
    if (rel && await Deno.lstat(join(base, rel)).then(() => true, () => false)) out.push(rel);
  }
  return out;
}

/** The `find -name` pattern `pattern` as an anchored regexp (compile once, test each name). */
export function namePattern(pattern: string): RegExp {
  return segmentRegExp(pattern);
}
