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
import { flag } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { ensureGranted, type PermissionNeed } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";
import { createProvisioner, installNeeds, planNeeds } from "./_provisioner.ts";
import { looksLocal, recipeArgNeeds, trustedNeeds } from "./_recipe.ts";

/**
 * Catalog, cache, state, root and bash (and, with `--trusted`, the programs
 * of the trusted fallback); source hosts are checked after planning.
 */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  if (isUrl(arg)) return [...installNeeds(ctx.config), { name: "net", host: hostOfUrl(arg) }];
  const local = looksLocal(arg) ? recipeArgNeeds(arg, ctx.cwd) : [];
  const trusted = flag(ctx.args, "trusted") ? trustedNeeds() : [];
  return [...installNeeds(ctx.config), ...local, ...trusted];
}

/** Whether `arg` is a URL (`https://...`, `oci://...`) rather than a path or an id. */
export function isUrl(arg: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
}

/** `host:port` of a URL (the default port spelled out), for `--allow-net`. */
export function hostOfUrl(url: string): string {
  const u = new URL(url.replace(/^oci:/, "http:"));
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
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
  const provisioner = await createProvisioner(ctx.config, "install", {
    force: flag(ctx.args, "force"),
    keepBuildDir: flag(ctx.args, "keep-build"),
    trustedMetadata: flag(ctx.args, "trusted"),
  });
  const worker = await provisioner.provision(target, {
    onPlan: (plan) => ensureGranted(planNeeds(plan)),
    signal: ctx.signal,
    jobId: ctx.jobId,
    onEvent: (event) => ctx.renderer.event(event),
  });
  return { value: worker, text: installedText(worker) };
}
