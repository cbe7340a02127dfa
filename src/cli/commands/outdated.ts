/**
 * `outdated [id...]`: installed workers whose recipe, catalog version or
 * git refs moved since they were built.
 *
 * @module
 */

import type { OutdatedReport } from "../../provision/mod.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, SYMLINK_NEEDS } from "../permissions.ts";
import { catalogNeeds } from "./_catalog.ts";
import { createProvisioner } from "./_provisioner.ts";

/** The catalog, the records, and git for `ls-remote`. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return [...catalogNeeds(ctx.config.catalog), ...SYMLINK_NEEDS, { name: "run", command: "git" }];
}

/** The report for humans: one line per outdated worker with its reasons. */
export function outdatedText(reports: readonly OutdatedReport[]): string {
  return reports.filter((r) => r.outdated).map((r) =>
    `${r.id} ${r.installed} -> ${r.available}: ${r.reasons.join("; ")}\n`
  ).join("");
}

/** Lists the outdated workers. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const provisioner = createProvisioner(ctx.config);
  const reports = await provisioner.outdated(ctx.args.positionals, { signal: ctx.signal });
  if (!reports.some((r) => r.outdated)) ctx.renderer.info("every worker is up to date");
  return { value: reports, text: outdatedText(reports) };
}
