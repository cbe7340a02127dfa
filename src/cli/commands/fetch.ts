/**
 * `fetch <worker>`: downloads and verifies the sources for the target
 * architecture into the cache with `WorkerProvisioner.fetch()`; builds and
 * installs nothing.
 *
 * @module
 */

import { resolve } from "node:path";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { ensureGranted, type PermissionNeed, readNeed } from "../permissions.ts";
import { keyringDir } from "../../signature/paths.ts";
import { createProvisioner, fetchNeeds, planNeeds } from "./_provisioner.ts";
import { isRecipePath } from "../../provision/recipe.ts";
import { recipeArgNeeds, trustedNeeds } from "./_recipe.ts";
import { sourceLimitOptions } from "./_source_limits.ts";

/** Catalog and cache (and the trusted fallback's programs); source hosts are checked after planning. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  return [
    ...fetchNeeds(ctx.config),
    ...(isRecipePath(arg) ? recipeArgNeeds(arg, ctx.cwd) : []),
    ...(flag(ctx.args, "trusted") ? trustedNeeds() : []),
    ...(keyringFlag(ctx) ? [readNeed(keyringFlag(ctx)!)] : []), // signatures
  ];
}

/** The keyring of `--state-dir DIR` (flag only: fetch resolves no state directory otherwise). */
function keyringFlag(ctx: CommandContext): string | undefined {
  const state = stringOption(ctx.args, "state-dir");
  return state ? keyringDir(resolve(ctx.cwd, state)) : undefined;
}

/** `--skippgpcheck` and `--state-dir`'s keyring, as the fetch options they set (signatures). */
function fetchSignatureOptions(ctx: CommandContext) {
  const keyring = keyringFlag(ctx);
  const skip = flag(ctx.args, "skippgpcheck");
  return {
    ...(keyring ? { keyringDir: keyring } : {}),
    ...(skip ? { skipPgpCheck: true } : {}),
  };
}

/** Fetches and verifies the sources. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const arg = ctx.args.positionals[0];
  const target = isRecipePath(arg) ? resolve(ctx.cwd, arg) : arg;
  const limits = sourceLimitOptions(ctx.args);
  const provisioner = createProvisioner(ctx.config, {
    ...limits,
    trustedMetadata: flag(ctx.args, "trusted"),
    fetchOptions: { ...limits.fetchOptions, ...fetchSignatureOptions(ctx) },
  });
  const { plan, sources } = await provisioner.fetch(target, {
    signal: ctx.signal,
    jobId: ctx.jobId,
    onEvent: (event) => ctx.renderer.event(event),
    // Fetching starts no build: only the hosts and git are needed.
    onPlan: (p) =>
      ensureGranted(planNeeds(p).filter((n) => n.name !== "run" || n.command === "git")),
  });
  return {
    value: { id: plan.id, version: plan.version, arch: plan.arch, sources },
    text: `fetched and verified ${sources.length} source(s) of ${plan.id} ${plan.version} ` +
      `(${plan.arch})\n`,
  };
}
