/**
 * The other stages the pipeline wires together, taken from their barrels
 * (`src/pkgbuild/mod.ts`, `src/source/mod.ts`, `src/run/mod.ts`) by name.
 * Loaded lazily, so `list`/`remove`/`verify` never load the build machinery,
 * and a missing export is a clear error rather than a crash.
 *
 * @module
 */

import type { EventSink } from "../events.ts";
import { ProvisionerError } from "../errors.ts";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import type { SourcePlan } from "../source/plan.ts";

/** The result of `runRecipe`. */
export interface RecipeRun {
  /** The version after pkgver(). */
  readonly pkgver: string;
  /** One package tree per package. */
  readonly packages: readonly { readonly name: string; readonly dir: string }[];
  /** The build log. */
  readonly logFile?: string;
  /** Whether it ran in the sandbox. */
  readonly sandboxed?: boolean;
}

/** The functions of the other stages, as the pipeline calls them. */
export interface Stages {
  /** `parsePkgbuild` from the PKGBUILD engine. */
  parsePkgbuild(text: string, options: { carch: string }): Pkgbuild;
  /** `planSources` from the source stage. */
  planSources(pkgbuild: Pkgbuild, options: { carch: string; strict: boolean }): SourcePlan;
  /** `fetchSources` from the source stage. */
  fetchSources(plan: SourcePlan, options: {
    cacheDir: string;
    recipeDir: string;
    signal?: AbortSignal;
    onEvent?: EventSink;
    proxy?: unknown;
  }): Promise<unknown>;
  /** `prepareSrcdir` from the source stage. */
  prepareSrcdir(fetched: unknown, srcdir: string, options: {
    signal?: AbortSignal;
    onEvent?: EventSink;
  }): Promise<unknown>;
  /** `runRecipe` from the build runner. */
  runRecipe(options: {
    pkgbuildPath: string;
    pkgbuild: Pkgbuild;
    startdir: string;
    srcdir: string;
    pkgdirBase: string;
    carch: string;
    check: boolean;
    sandbox: boolean | "auto";
    env: Record<string, string>;
    signal?: AbortSignal;
    onEvent?: EventSink;
    logFile: string;
  }): Promise<RecipeRun>;
}

/** The stages are not all there: this build of the library lacks one. */
export class StageMissingError extends ProvisionerError {
  /** Creates the error for the missing export `name` of `barrel`. */
  constructor(name: string, barrel: string) {
    super("STAGE_MISSING", 1, `${name} is not available from ${barrel} in this build`, {
      hint: "update worker-provisioner; this pipeline step is not part of this version",
    });
  }
}

let loaded: Promise<Stages> | undefined;

/** Loads the stage functions (once). */
export function loadStages(): Promise<Stages> {
  loaded ??= (async () => {
    const [pkgbuild, source, run] = await Promise.all([
      import("../pkgbuild/mod.ts") as Promise<Record<string, unknown>>,
      import("../source/mod.ts") as Promise<Record<string, unknown>>,
      import("../run/mod.ts") as Promise<Record<string, unknown>>,
    ]);
    const pick = (mod: Record<string, unknown>, name: string, barrel: string) => {
      const f = mod[name];
      if (typeof f !== "function") throw new StageMissingError(name, barrel);
      return f;
    };
    return {
      parsePkgbuild: pick(pkgbuild, "parsePkgbuild", "src/pkgbuild/mod.ts"),
      planSources: pick(source, "planSources", "src/source/mod.ts"),
      fetchSources: pick(source, "fetchSources", "src/source/mod.ts"),
      prepareSrcdir: pick(source, "prepareSrcdir", "src/source/mod.ts"),
      runRecipe: pick(run, "runRecipe", "src/run/mod.ts"),
    } as unknown as Stages;
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
