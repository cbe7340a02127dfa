/**
 * The fetch step: downloads (or finds in the cache) and verifies the
 * planned sources. Shared by `provision()` and `fetch()`.
 *
 * @module
 */

import type { FetchedSource } from "../source/mod.ts";
import type { Layout } from "./paths.ts";
import type { WorkerProvisionerOptions } from "./provisioner.ts";
import type { ProvisionJob } from "./_job.ts";
import type { PlannedProvision } from "./_plan.ts";
import { loadStages } from "./_stages.ts";
import { keyringDir } from "../signature/paths.ts";

/** What {@link fetchPlanned} works with. */
export interface FetchContext {
  /** The job's event stream. */
  readonly job: ProvisionJob;
  /** The layout (its cache directory). */
  readonly layout: Layout;
  /** The provisioner's options (`fetchOptions`). */
  readonly options: WorkerProvisionerOptions;
  /** Where local sources are looked up. */
  readonly recipeDir: string;
  /** Cancels the step. */
  readonly signal?: AbortSignal;
}

/** Runs the `fetch` step of `planned`: every source fetched into the cache and verified. */
export async function fetchPlanned(
  planned: PlannedProvision,
  ctx: FetchContext,
): Promise<FetchedSource[]> {
  const stages = await loadStages();
  return await ctx.job.step("fetch", () =>
    stages.fetchSources(planned.sources, {
      keyringDir: keyringDir(ctx.layout.stateDir), // signatures (src/signature/)
      ...ctx.options.fetchOptions,
      cacheDir: ctx.layout.cacheDir,
      recipeDir: ctx.recipeDir,
      usedBy: planned.plan.id,
      // file:// sources read this machine's disk: only a recipe from the local disk may use them.
      allowFileUrls: planned.recipe.recipeDir !== undefined,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onEvent: ctx.job.forward,
    }));
}
