/**
 * `plan <worker>`: what an install would fetch and run; with
 * `--permissions`, the exact Deno flags an install needs.
 *
 * @module
 */

import { resolve } from "node:path";
import type { CacheStatus, ProvisionPlan } from "../../provision/mod.ts";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, readWriteNeeds } from "../permissions.ts";
import { pasteableInstall, pasteableText } from "./_pasteable.ts";
import { catalogNeeds } from "./_catalog.ts";
import { createProvisioner } from "./_provisioner.ts";
import { isRecipePath } from "../../provision/recipe.ts";
import { recipeArgNeeds, trustedNeeds } from "./_recipe.ts";
import { buildEnvFlags, buildEnvNeeds } from "./_build_env.ts";
import { cacheNeeds, registryOptions, resolveCacheSpec } from "./_registry.ts";

/**
 * Reaching the catalog (or reading the local recipe); with `--trusted`, the
 * trusted fallback's programs and its scratch directory in the cache.
 */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  const binaryCache = stringOption(ctx.args, "binary-cache");
  const needs = [
    ...(isRecipePath(arg) ? recipeArgNeeds(arg, ctx.cwd) : catalogNeeds(ctx.config.catalog)),
    ...buildEnvNeeds(ctx),
    ...(binaryCache === undefined ? [] : cacheNeeds(binaryCache, ctx.cwd)),
  ];
  if (!flag(ctx.args, "trusted")) return needs;
  const cache = ctx.config.cacheDir ? readWriteNeeds(ctx.config.cacheDir) : [];
  return [...needs, ...trustedNeeds(), ...cache];
}

/** The plan for humans. */
export function planText(plan: ProvisionPlan): string {
  const lines = [`${plan.id} ${plan.version} for ${plan.platform}/${plan.arch} (${plan.origin})`];
  for (const s of plan.sources) {
    const sums = Object.entries(s.checksums).map(([a, v]) => `${a}:${v.slice(0, 12)}`).join(" ");
    lines.push(
      `  source  ${s.name}  ${s.url}  ${sums || "SKIP"}${s.noextract ? "  noextract" : ""}`,
    );
  }
  lines.push(`  hosts   ${plan.hosts.join(" ") || "(none)"}`);
  lines.push(`  runs    ${plan.functions.join(" ")}`);
  lines.push(`  installs ${plan.install.join(" ")}`);
  for (const t of plan.environment?.toolchains ?? []) lines.push(`  toolchain ${t.kind} ${t.bin}`);
  if (plan.environment?.buildCache) lines.push(`  cache   ${plan.environment.buildCache}`);
  for (const v of plan.environment?.variables ?? []) lines.push(`  env     ${v}`);
  if (plan.environmentReads?.length) lines.push(`  reads   ${plan.environmentReads.join(" ")}`);
  for (const w of plan.warnings ?? []) lines.push(`  warning ${w}`);
  return `${lines.join("\n")}\n`;
}

/** The binary cache's line of the plan: which of install-cached, build, build-and-publish happens. */
export function cacheText(cache: CacheStatus): string {
  const what = cache.action === "install-cached"
    ? "hit: installs the cached package, no build"
    : cache.action === "build-and-publish"
    ? "miss: builds, publishes the package, installs it"
    : cache.key === null
    ? "skipped (a git ref could not be resolved): builds"
    : "miss: builds and installs";
  return `  cache   ${cache.location}  ${what}${
    cache.key ? `  key ${cache.key.slice(0, 16)}` : ""
  }\n`;
}

/** Prints the plan, or the flags. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const arg = ctx.args.positionals[0];
  const target = isRecipePath(arg) ? resolve(ctx.cwd, arg) : arg;
  const trusted = flag(ctx.args, "trusted");
  const cacheSpec = stringOption(ctx.args, "binary-cache");
  const provisioner = createProvisioner(ctx.config, {
    trustedMetadata: trusted,
    ...buildEnvFlags(ctx),
    registry: registryOptions(ctx),
    ...(cacheSpec !== undefined ? { binaryCache: resolveCacheSpec(cacheSpec, ctx.cwd) } : {}),
    publishToCache: flag(ctx.args, "push"),
  });
  const plan = await provisioner.plan(target, { signal: ctx.signal });
  const cache = await provisioner.cacheStatus(target, { signal: ctx.signal });
  if (!flag(ctx.args, "permissions")) {
    if (!cache) return { value: plan, text: planText(plan) };
    return { value: { ...plan, binaryCache: cache }, text: planText(plan) + cacheText(cache) };
  }
  const local = [
    ...(isRecipePath(arg) ? recipeArgNeeds(arg, ctx.cwd) : []),
    ...(cacheSpec === undefined ? [] : cacheNeeds(cacheSpec, ctx.cwd)),
  ];
  const extra = [
    ...(trusted ? ["--trusted"] : []),
    ...(cacheSpec !== undefined ? ["--binary-cache", resolveCacheSpec(cacheSpec, ctx.cwd)] : []),
    ...(flag(ctx.args, "push") ? ["--push"] : []),
  ];
  const install = pasteableInstall(ctx, target, plan, extra, local);
  return { value: { ...install, plan }, text: pasteableText(install) };
}
