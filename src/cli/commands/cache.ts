/**
 * `cache list` and `cache clean`: what the source cache holds, and removing
 * it. The cache is the source stage's: `content/<algorithm>/<digest>`,
 * `named/<key>/<name>`, `git/<key>/<name>`.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, readWriteNeeds } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";

/** One top-level cache item. */
export interface CacheItem {
  /** Path relative to the cache directory. */
  readonly path: string;
  /** Bytes used (a git mirror counts its whole tree). */
  readonly bytes: number;
}

function action(ctx: CommandContext): "list" | "clean" {
  const verb = ctx.args.positionals[0];
  if (verb !== "list" && verb !== "clean") {
    throw new UsageError(`Unknown cache action ${verb}`, {
      hint: "use `cache list` or `cache clean`",
    });
  }
  return verb;
}

/** Reading the cache (and writing it for `clean`). */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const dir = ctx.config.cacheDir!;
  return action(ctx) === "clean" ? readWriteNeeds(dir) : [{ name: "read", path: dir }];
}

async function treeSize(path: string): Promise<number> {
  const info = await Deno.lstat(path);
  if (!info.isDirectory) return info.size;
  let total = 0;
  for await (const e of Deno.readDir(path)) total += await treeSize(join(path, e.name));
  return total;
}

async function readDirOrEmpty(path: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/** Lists the cache's items: files under content/ and named/, mirrors under git/. */
export async function listCache(cacheDir: string): Promise<CacheItem[]> {
  const items: CacheItem[] = [];
  for (const top of await readDirOrEmpty(cacheDir)) {
    const topPath = join(cacheDir, top.name);
    if (!top.isDirectory) {
      items.push({ path: top.name, bytes: await treeSize(topPath) });
      continue;
    }
    for (const mid of await readDirOrEmpty(topPath)) {
      const midPath = join(topPath, mid.name);
      const leaves = mid.isDirectory ? await readDirOrEmpty(midPath) : [];
      if (!mid.isDirectory || !leaves.length) {
        items.push({ path: `${top.name}/${mid.name}`, bytes: await treeSize(midPath) });
        continue;
      }
      for (const leaf of leaves) {
        if (leaf.name.endsWith(".verified")) continue; // the digests recorded for a file beside it
        const path = `${top.name}/${mid.name}/${leaf.name}`;
        items.push({ path, bytes: await treeSize(join(midPath, leaf.name)) });
      }
    }
  }
  return items.sort((a, b) => a.path.localeCompare(b.path));
}

/** Lists or cleans the cache. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const dir = ctx.config.cacheDir!;
  const items = await listCache(dir);
  const bytes = items.reduce((sum, i) => sum + i.bytes, 0);
  if (action(ctx) === "list") {
    const text = items.map((i) => `${formatBytes(i.bytes).padStart(10)}  ${i.path}\n`).join("");
    ctx.renderer.info(`${items.length} item(s), ${formatBytes(bytes)} in ${dir}`);
    return { value: { dir, items, bytes }, text };
  }
  for (const entry of await readDirOrEmpty(dir)) {
    await Deno.remove(join(dir, entry.name), { recursive: true });
  }
  return {
    value: { dir, removed: items.length, bytes },
    text: `removed ${items.length} item(s), ${formatBytes(bytes)} from ${dir}\n`,
  };
}
