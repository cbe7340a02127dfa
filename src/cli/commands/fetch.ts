/**
 * `fetch <worker>`: downloads and verifies the sources for the target
 * architecture into the cache; installs nothing.
 *
 * @module
 */

import { resolve } from "@std/path";
import type { Pkgbuild } from "../../pkgbuild/model.ts";
import type { Catalog } from "../../provision/mod.ts";
import type { FetchedSource, FetchOptions, PlanOptions, SourcePlan } from "../../source/mod.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { pkgbuildModule, requireExport, sourceModule } from "../library.ts";
import { ensureGranted, type PermissionNeed } from "../permissions.ts";
import { createProvisioner, fetchNeeds, planNeeds } from "./_provisioner.ts";
import { looksLocal, readLocalRecipe, recipeArgNeeds } from "./_recipe.ts";

/** Catalog and cache; source hosts are checked after planning. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  return [...fetchNeeds(ctx.config), ...(looksLocal(arg) ? recipeArgNeeds(arg, ctx.cwd) : [])];
}

async function recipeOf(
  ctx: CommandContext,
  catalog: Catalog,
): Promise<{ text: string; recipeDir?: string }> {
  const arg = ctx.args.positionals[0];
  if (looksLocal(arg)) {
    const local = await readLocalRecipe(arg, ctx.cwd);
    return { text: local.text, recipeDir: local.dir };
  }
  const text = await catalog.recipe(arg, { signal: ctx.signal });
  return { text, ...(catalog.recipeDir ? { recipeDir: catalog.recipeDir(arg) } : {}) };
}

/** Fetches and verifies the sources. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const arg = ctx.args.positionals[0];
  const target = looksLocal(arg) ? resolve(ctx.cwd, arg) : arg;
  const provisioner = await createProvisioner(ctx.config, "fetch");
  const plan = await provisioner.plan(target, { signal: ctx.signal });
  ensureGranted(planNeeds(plan).filter((n) => n.name !== "run" || n.command === "git"));
  const parse = requireExport<(text: string, o: { carch: string }) => Pkgbuild>(
    await pkgbuildModule(),
    "parsePkgbuild",
    "fetch",
  );
  const source = await sourceModule();
  const planSources = requireExport<(p: Pkgbuild, o: PlanOptions) => SourcePlan>(
    source,
    "planSources",
    "fetch",
  );
  const fetchSources = requireExport<
    (plan: SourcePlan, o: FetchOptions) => Promise<FetchedSource[]>
  >(source, "fetchSources", "fetch");
  const recipe = await recipeOf(ctx, provisioner.catalog);
  const arch = plan.arch;
  const sources = planSources(parse(recipe.text, { carch: arch }), { carch: arch });
  const fetched = await fetchSources(sources, {
    cacheDir: ctx.config.cacheDir!,
    ...(recipe.recipeDir ? { recipeDir: recipe.recipeDir } : {}),
    signal: ctx.signal,
    onEvent: (event) => ctx.renderer.event(event),
  });
  return {
    value: { id: plan.id, version: plan.version, arch, sources: fetched },
    text:
      `fetched and verified ${fetched.length} source(s) of ${plan.id} ${plan.version} (${arch})\n`,
  };
}
