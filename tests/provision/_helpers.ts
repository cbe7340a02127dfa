/**
 * Helpers of the provision tests: temp dirs, hand-made package trees, and
 * full snapshots of a root (type, mode, size, sha256, link target of every
 * path) to prove "exactly as before".
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname, join, relative } from "node:path";

/** Runs `fn` with a fresh temp dir, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "wp-provision-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** A file of a hand-made tree: text content, or `{ link }` for a symlink, or `{ dir }`. */
export type TreeSpec = Record<
  string,
  string | { content: string; mode: number } | { link: string } | { dir: number }
>;

/** Writes `spec` under `dir` (parents created with 0755). */
export async function makeTree(dir: string, spec: TreeSpec): Promise<void> {
  for (const [rel, value] of Object.entries(spec)) {
    const path = join(dir, rel);
    await Deno.mkdir(dirname(path), { recursive: true });
    if (typeof value === "string") {
      await Deno.writeTextFile(path, value);
      await Deno.chmod(path, 0o644);
    } else if ("link" in value) {
      await Deno.symlink(value.link, path);
    } else if ("dir" in value) {
      await Deno.mkdir(path, { recursive: true });
      await Deno.chmod(path, value.dir);
    } else {
      await Deno.writeTextFile(path, value.content);
      await Deno.chmod(path, value.mode);
    }
  }
}

/** A snapshot line per path: `path type mode size sha256|target`. */
export async function snapshot(root: string, stateDir?: string): Promise<string[]> {
  const skeleton = new Set<string>();
  if (stateDir) {
    for (let p = stateDir; p.length > root.length; p = dirname(p)) skeleton.add(p);
    for (const sub of ["workers", "locks", "journal", "staging"]) skeleton.add(join(stateDir, sub));
  }
  const out: string[] = [];
  async function walk(dir: string) {
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    names.sort();
    for (const name of names) {
      const path = join(dir, name);
      const info = await Deno.lstat(path);
      const rel = relative(root, path);
      const mode = ((info.mode ?? 0) & 0o7777).toString(8);
      if (info.isDirectory) {
        if (!skeleton.has(path)) out.push(`${rel} dir ${mode}`);
        await walk(path);
      } else if (info.isSymlink) {
        out.push(`${rel} symlink -> ${await Deno.readLink(path)}`);
      } else {
        const sha = createHash("sha256").update(await Deno.readFile(path)).digest("hex");
        out.push(`${rel} file ${mode} ${info.size} ${sha.slice(0, 16)}`);
      }
    }
  }
  await walk(root);
  return out;
}

/** Lines of `snapshot` outside the state directory (what "the root" holds). */
export function outsideState(lines: readonly string[], rootRelativeStateDir: string): string[] {
  return lines.filter((l) => !l.startsWith(rootRelativeStateDir));
}
