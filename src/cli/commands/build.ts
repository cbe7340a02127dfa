/**
 * `build <worker-id | PKGBUILD | dir> [--output DIR]`: runs the recipe as an
 * install would, up to the tidied package trees, and writes one binary
 * package per tree (`.pkg.tar.zst` with our manifest) instead of installing.
 *
 * @module
 */

import { resolve } from "node:path";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { UsageError } from "../errors.ts";
import { ensureGranted, type PermissionNeed } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";
import { createProvisioner, installNeeds, planNeeds } from "./_provisioner.ts";
import { recipeArgNeeds, trustedNeeds } from "./_recipe.ts";
import { isRecipePath } from "../../provision/recipe.ts";
import { signingKey, signingNeeds } from "./_signature.ts";

/** What an install needs (the build is the same), plus `zstd` to compress. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  return [
    ...installNeeds(ctx.config),
    ...(isRecipePath(arg) ? recipeArgNeeds(arg, ctx.cwd) : []),
    ...(flag(ctx.args, "trusted") ? trustedNeeds() : []),
    { name: "run", command: "zstd" },
    ...signingNeeds(ctx),
  ];
}

/** A non-negative integer option, or undefined when absent. */
function integerOption(ctx: CommandContext, name: string): number | undefined {
  const value = stringOption(ctx.args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} takes a non-negative integer, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Builds the packages. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const arg = ctx.args.positionals[0];
  const target = isRecipePath(arg) ? resolve(ctx.cwd, arg) : arg;
  const outputDir = resolve(ctx.cwd, stringOption(ctx.args, "output") ?? ".");
  const sourceDateEpoch = integerOption(ctx, "source-date-epoch");
  const compressionLevel = integerOption(ctx, "compression-level");
  const key = await signingKey(ctx);
  const provisioner = createProvisioner(ctx.config, {
    keepBuildDir: flag(ctx.args, "keep-build"),
    trustedMetadata: flag(ctx.args, "trusted"),
  });
  const result = await provisioner.build(target, {
    outputDir,
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    ...(compressionLevel !== undefined ? { compressionLevel } : {}),
    onPlan: (plan) => ensureGranted(planNeeds(plan)),
    signal: ctx.signal,
    jobId: ctx.jobId,
    onEvent: (event) => ctx.renderer.event(event),
  });
  const signed = new Map<string, string>();
  if (key) {
    const { signFile } = await import("../../signature/package.ts");
    for (const p of result.packages) {
      await Deno.writeFile(`${p.path}.sig`, await signFile(p.path, key));
      signed.set(p.path, `${p.path}.sig`);
    }
  }
  const packages = result.packages.map((p) => ({
    path: p.path,
    ...(signed.has(p.path) ? { signature: signed.get(p.path) } : {}),
    sha256: p.sha256,
    size: p.size,
    id: p.manifest.id,
    pkgname: p.manifest.pkgname,
    version: p.manifest.version,
    arch: p.manifest.arch,
  }));
  const text = packages.map((p) =>
    `built ${p.path} (${formatBytes(p.size)})\n  sha256 ${p.sha256}\n` +
    (p.signature ? `  signed ${p.signature} (${key!.getFingerprint().toUpperCase()})\n` : "")
  ).join("");
  return { value: { id: result.plan.id, packages }, text };
}
