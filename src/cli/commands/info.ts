/**
 * `info <worker-id>`: prints a worker's catalog entry.
 *
 * @module
 */

import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { catalogNeeds, openConfiguredCatalog } from "./_catalog.ts";

/** Reaching the catalog. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return catalogNeeds(ctx.config.catalog);
}

const SHOWN = [
  "name",
  "version",
  "description",
  "worker_type",
  "implementation",
  "platforms",
  "architectures",
  "license",
  "build_system",
  "depends",
  "makedepends",
  "binary_name",
  "install_path",
];

/** Formats an entry as aligned `key: value` lines. */
export function formatEntry(entry: Record<string, unknown>): string {
  const lines = [`${entry.id}`];
  for (const key of SHOWN) {
    const value = entry[key];
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value)
      ? value.join(", ")
      : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
    lines.push(`  ${`${key}:`.padEnd(16)}${text}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Prints the entry. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const catalog = openConfiguredCatalog(ctx.config);
  const entry = await catalog.get(ctx.args.positionals[0], { signal: ctx.signal });
  return { value: entry, text: formatEntry(entry) };
}
