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
import { recordedOrigins } from "../../source/cache.ts";
import { listPackageCache, PACKAGE_CACHE_SUBDIR } from "../../provision/package_cache.ts";

/** One top-level cache item. */
export interface CacheItem {
  /** Path relative to the cache directory. */
  readonly path: string;
  /** Bytes used (a git mirror counts its whole tree). */
  readonly bytes: number;
  /**
   * Of {@link bytes}, those an installed worker's files share (hard links
   * of a kept build): removing the item does not free them.
   */
  readonly sharedBytes?: number;
  /** The source file names it was fetched as (content-keyed files). */
  readonly names?: readonly string[];
  /** The workers whose recipes fetched it. */
  readonly usedBy?: readonly string[];
  /** A download an interrupted run left, resumed by the next one (`.part`). */
  readonly partial?: boolean;
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
    if (top.isDirectory && top.name === PACKAGE_CACHE_SUBDIR) {
      items.push(...await packageItems(cacheDir));
      continue;
    }
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
        // The digests and origins recorded for a file beside it, and a partial's resume data.
        if (leaf.name.endsWith(".verified") || leaf.name.endsWith(".part.json")) continue;
        const path = `${top.name}/${mid.name}/${leaf.name}`;
        const full = join(midPath, leaf.name);
        items.push({ path, bytes: await treeSize(full), ...await describeFile(full) });
      }
    }
  }
  return items.sort((a, b) => a.path.localeCompare(b.path));
}

/** The builds kept in the local package cache, each used by its worker. */
async function packageItems(cacheDir: string): Promise<CacheItem[]> {
  return (await listPackageCache(cacheDir)).map((p) => ({
    path: p.path,
    bytes: p.bytes,
    ...(p.sharedBytes ? { sharedBytes: p.sharedBytes } : {}),
    names: [`${p.id} ${p.version ?? ""} package`.replace("  ", " ")],
    usedBy: [p.id],
    ...(p.incomplete ? { partial: true } : {}),
  }));
}

/** What a cached file was fetched as and for whom (from its stamp), or that it is partial. */
async function describeFile(
  path: string,
): Promise<Pick<CacheItem, "names" | "usedBy" | "partial">> {
  if (path.endsWith(".part")) return { partial: true, ...await describeFile(path.slice(0, -5)) };
  const origins = await recordedOrigins(path);
  if (!origins.length) return {};
  const usedBy = [...new Set(origins.flatMap((o) => o.usedBy ? [o.usedBy] : []))].sort();
  return {
    names: [...new Set(origins.map((o) => o.name))].sort(),
    ...(usedBy.length ? { usedBy } : {}),
  };
}

/** One line of `cache list`: size, path (digests shortened), what it is and who uses it. */
function itemLine(item: CacheItem): string {
  const path = item.path.replace(/([0-9a-f]{12})[0-9a-f]{20,}/, "$1…");
  const what = [
    item.names?.join(", "),
    item.usedBy ? `used by ${item.usedBy.join(", ")}` : undefined,
    item.partial ? "partial download, resumed by the next run" : undefined,
    item.sharedBytes ? `${formatBytes(item.sharedBytes)} shared with installed files` : undefined,
  ].filter(Boolean).join("; ");
  return `${formatBytes(item.bytes).padStart(10)}  ${path}${what ? `  ${what}` : ""}\n`;
}

/** Lists or cleans the cache. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const dir = ctx.config.cacheDir!;
  const items = await listCache(dir);
  const bytes = items.reduce((sum, i) => sum + i.bytes, 0);
  const sharedBytes = items.reduce((sum, i) => sum + (i.sharedBytes ?? 0), 0);
  const shared = sharedBytes
    ? ` (${formatBytes(sharedBytes)} of it shared with installed files, not freed by clean)`
    : "";
  if (action(ctx) === "list") {
    const text = items.map(itemLine).join("");
    ctx.renderer.info(`${items.length} item(s), ${formatBytes(bytes)} in ${dir}${shared}`);
    return { value: { dir, items, bytes, sharedBytes }, text };
  }
  for (const entry of await readDirOrEmpty(dir)) {
    await Deno.remove(join(dir, entry.name), { recursive: true });
  }
  const freed = bytes - sharedBytes;
  return {
    value: { dir, removed: items.length, bytes, freedBytes: freed },
    text: `removed ${items.length} item(s) from ${dir}, ${formatBytes(freed)} freed${
      sharedBytes ? ` (${formatBytes(sharedBytes)} stay: installed files share them)` : ""
    }\n`,
  };
}
