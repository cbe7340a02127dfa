/**
 * `search [query]`: lists catalog workers whose id, name or description
 * contains the query (case-insensitive). A start-up command (`../_load.ts`);
 * `--compatible` loads the provisioner on use.
 *
 * @module
 */

import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { catalogNeeds, openConfiguredCatalog } from "./_catalog.ts";
import { flag } from "../args.ts";
import { onUseTable, sourceReadNeeds } from "../_load.ts";

/** `--compatible`: the entries that can run here, best variant first. */
async function compatibleOf(ctx: CommandContext): Promise<Record<string, unknown>[]> {
  const { compatibleOf } = await (await onUseTable()).loadSearchCompatible();
  return await compatibleOf(ctx);
}

/** Reaching the catalog (and, for `--compatible`, the modules loaded on use). */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const onUse = flag(ctx.args, "compatible") ? sourceReadNeeds() : [];
  return [...catalogNeeds(ctx.config.catalog), ...onUse];
}

/** Whether `entry` matches `query`. */
export function matches(entry: Record<string, unknown>, query: string): boolean {
  const q = query.toLowerCase();
  return ["id", "name", "description", "worker_type", "implementation"].some((k) =>
    typeof entry[k] === "string" && (entry[k] as string).toLowerCase().includes(q)
  );
}

/** Prints the matching entries, one per line. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const catalog = openConfiguredCatalog(ctx.config);
  const query = ctx.args.positionals[0] ?? "";
  const listed = flag(ctx.args, "compatible")
    ? await compatibleOf(ctx)
    : await catalog.list({ signal: ctx.signal });
  const entries = listed.filter((e) => matches(e, query));
  const width = Math.max(0, ...entries.map((e) => String(e.id).length)) + 2;
  const text = entries.map((e) =>
    `${String(e.id).padEnd(width)}${String(e.version ?? "").padEnd(12)}${e.description ?? ""}\n`
  ).join("");
  if (!entries.length) ctx.renderer.info(`no worker in ${catalog.location} matches ${query}`);
  return { value: entries, text };
}
