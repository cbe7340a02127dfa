/**
 * `upgrade [id...]`: rebuilds the outdated workers, each as one transaction
 * (a failure leaves the old worker installed and registered).
 *
 * @module
 */

import type { UpgradeResult } from "../../provision/mod.ts";
import { flag } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { ensureGranted, type PermissionNeed } from "../permissions.ts";
import { createProvisioner, installNeeds, planNeeds } from "./_provisioner.ts";
import { buildEnvFlags, buildEnvNeeds } from "./_build_env.ts";
import { hiveFlags, hiveNeeds } from "./_hive.ts";
import { preflightFlags } from "./_preflight.ts";

/** What an install needs, and git for `ls-remote`. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return [
    ...installNeeds(ctx.config),
    { name: "run", command: "git" },
    ...buildEnvNeeds(ctx),
    ...hiveNeeds(ctx),
  ];
}

/** "upgraded X from A to B" per upgraded worker. */
export function upgradeText(results: readonly UpgradeResult[]): string {
  if (!results.some((r) => r.upgraded)) return "every worker is up to date\n";
  return results.filter((r) => r.upgraded).map((r) =>
    `upgraded ${r.id} from ${r.from} to ${r.to}\n`
  )
    .join("");
}

/** Upgrades the workers. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const provisioner = createProvisioner(ctx.config, {
    force: flag(ctx.args, "force"),
    ...buildEnvFlags(ctx),
    ...hiveFlags(ctx),
    ...preflightFlags(ctx),
  });
  const results = await provisioner.upgrade(ctx.args.positionals, {
    onPlan: (plan) => ensureGranted(planNeeds(plan)),
    signal: ctx.signal,
    jobId: ctx.jobId,
    onEvent: (event) => ctx.renderer.event(event),
  });
  return { value: results, text: upgradeText(results) };
}
