/**
 * `install <worker-id | PKGBUILD | dir>`: the main job. Permissions are
 * checked twice before anything is written: the catalog, cache, state and
 * root up front, the source hosts and programs once the recipe has been read
 * (the recipe itself is only read into memory).
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import type { WorkerBinary } from "../../provision/mod.ts";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { hiveFlags, hiveNeeds } from "./_hive.ts";
import { ensureGranted, envIfGranted, type PermissionNeed } from "../permissions.ts";
import { formatBytes } from "../render/format.ts";
import { createProvisioner, installNeeds, planNeeds } from "./_provisioner.ts";
import { isRecipePath } from "../../provision/recipe.ts";
import { recipeArgNeeds, trustedNeeds } from "./_recipe.ts";
import { sourceLimitOptions } from "./_source_limits.ts";
import { buildEnvFlags, buildEnvNeeds } from "./_build_env.ts";
import { bestVariantOf, preflightFlags } from "./_preflight.ts";
import { cacheNeeds, hostOfUrl, isUrl, registryOptions, resolveCacheSpec } from "./_registry.ts";
import { signatureVerifier, verifierNeeds } from "./_signature.ts";
import { isPackageRef } from "../../provision/_package_install.ts";

/**
 * Catalog, cache, state, root and bash (and, with `--trusted`, the programs
 * of the trusted fallback); source hosts are checked after planning.
 */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  const binaryCache = stringOption(ctx.args, "binary-cache");
  const cache = binaryCache === undefined ? [] : cacheNeeds(binaryCache, ctx.cwd);
  if (isUrl(arg)) {
    return [
      ...installNeeds(ctx.config),
      { name: "net", host: hostOfUrl(arg) },
      ...cache,
      ...verifierNeeds(ctx),
    ];
  }
  const local = isRecipePath(arg) ? recipeArgNeeds(arg, ctx.cwd) : [];
  const trusted = flag(ctx.args, "trusted") ? trustedNeeds() : [];
  return [
    ...installNeeds(ctx.config),
    ...local,
    ...trusted,
    ...cache,
    ...buildEnvNeeds(ctx),
    ...hiveNeeds(ctx),
    ...verifierNeeds(ctx, isPackageRef(arg) ? arg : undefined),
  ];
}

/** The transaction decides: once it committed, the result stands even after Ctrl-C. */
export const outcomeIsFinal = true;

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
  const limits = sourceLimitOptions(ctx.args);
  const cache = stringOption(ctx.args, "binary-cache");
  const provisioner = createProvisioner(ctx.config, {
    ...limits,
    fetchOptions: {
      ...limits.fetchOptions,
      ...(flag(ctx.args, "skippgpcheck") ? { skipPgpCheck: true } : {}),
      ...(flag(ctx.args, "deep") ? { verifyCache: "deep" as const } : {}),
    },
    ...(flag(ctx.args, "deep") ? { packageCache: "deep" as const } : {}),
    force: flag(ctx.args, "force"),
    keepBuildDir: flag(ctx.args, "keep-build"),
    trustedMetadata: flag(ctx.args, "trusted"),
    ...buildEnvFlags(ctx),
    ...hiveFlags(ctx),
    ...preflightFlags(ctx),
    registry: registryOptions(ctx),
    ...(cache !== undefined ? { binaryCache: resolveCacheSpec(cache, ctx.cwd) } : {}),
    publishToCache: flag(ctx.args, "push"),
    packageVerifiers: [signatureVerifier(ctx)],
  });
  const target = isUrl(arg)
    ? arg
    : isRecipePath(arg)
    ? resolve(ctx.cwd, arg)
    : flag(ctx.args, "best")
    ? await bestVariantOf(provisioner, arg, ctx)
    : arg;
  const worker = await provisioner.provision(target, {
    onPlan: (plan) => ensureGranted(planNeeds(plan)),
    signal: ctx.signal,
    jobId: ctx.jobId,
    reinstall: flag(ctx.args, "reinstall"),
    rebuild: flag(ctx.args, "rebuild"), // local package cache
    onEvent: (event) => ctx.renderer.event(event),
  });
  const hint = pathHint(worker.executables);
  if (hint) ctx.renderer.info(hint);
  return { value: worker, text: installedText(worker) };
}

/**
 * When the executables landed in a directory that is not on PATH (a user
 * install into `~/.local/bin`), how to put it there. Reads `PATH` only when
 * that is permitted; says nothing otherwise.
 */
export function pathHint(executables: readonly string[], path = readPath()): string | undefined {
  if (path === undefined || executables.length === 0) return undefined;
  const dirs = new Set(path.split(":").map((d) => d.replace(/\/+$/, "")));
  const missing = [...new Set(executables.map((e) => dirname(e)))].filter((d) => !dirs.has(d));
  if (!missing.length) return undefined;
  return `${missing.join(", ")} is not on your PATH; add \`export PATH="${
    missing.join(":")
  }:$PATH"\` to your shell's startup file (~/.bashrc, ~/.zshrc) to run the worker by name`;
}

function readPath(): string | undefined {
  return envIfGranted("PATH");
}
