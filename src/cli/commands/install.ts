/**
 * `install <worker-id | PKGBUILD | dir>`: the main job. Permissions are
 * checked twice before anything is written: the catalog, cache, state and
 * root up front, the source hosts and programs once the recipe has been read
 * (the recipe itself is only read into memory).
 *
 * @module
 */

import { resolve } from "node:path";
import type { WorkerBinary } from "../../provision/mod.ts";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { ensureGranted, type PermissionNeed } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";
import { createProvisioner, installNeeds, planNeeds } from "./_provisioner.ts";
import { looksLocal, recipeArgNeeds, trustedNeeds } from "./_recipe.ts";
import { cacheNeeds, hostOfUrl, isUrl, registryOptions, resolveCacheSpec } from "./_registry.ts";

/**
 * Catalog, cache, state, root and bash (and, with `--trusted`, the programs
 * of the trusted fallback); source hosts are checked after planning.
 */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  const binaryCache = stringOption(ctx.args, "binary-cache");
  const cache = binaryCache === undefined ? [] : cacheNeeds(binaryCache, ctx.cwd);
  if (isUrl(arg)) {
    return [...installNeeds(ctx.config), { name: "net", host: hostOfUrl(arg) }, ...cache];
  }
  const local = looksLocal(arg) ? recipeArgNeeds(arg, ctx.cwd) : [];
  const trusted = flag(ctx.args, "trusted") ? trustedNeeds() : [];
  return [...installNeeds(ctx.config), ...local, ...trusted, ...cache];
}

/** The human summary of an installed worker. */
export function installedText(worker: WorkerBinary): string {
  const verb = worker.alreadyInstalled ? "already installed" : "installed";
  const lines = [
    `${verb} ${worker.id} ${worker.version} (${worker.arch}, ${formatBytes(worker.size)})`,
    ...worker.executables.map((e) => `  ${e}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Installs the worker. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const arg = ctx.args.positionals[0];
  const target = isUrl(arg) ? arg : looksLocal(arg) ? resolve(ctx.cwd, arg) : arg;
  const cache = stringOption(ctx.args, "binary-cache");
  const provisioner = await createProvisioner(ctx.config, "install", {
    force: flag(ctx.args, "force"),
    keepBuildDir: flag(ctx.args, "keep-build"),
    trustedMetadata: flag(ctx.args, "trusted"),
    registry: registryOptions(ctx),
    ...(cache !== undefined ? { binaryCache: resolveCacheSpec(cache, ctx.cwd) } : {}),
    publishToCache: flag(ctx.args, "push"),
  });
  const worker = await provisioner.provision(target, {
    onPlan: (plan) => ensureGranted(planNeeds(plan)),
    signal: ctx.signal,
    jobId: ctx.jobId,
    onEvent: (event) => ctx.renderer.event(event),
  });
  return { value: worker, text: installedText(worker) };
}
