/**
 * The other stages the pipeline wires together, loaded on first use with a
 * typed `import()`: `list`, `uninstall` and `verify` never load the PKGBUILD
 * engine, the source stage or the runner (measured: importing them costs
 * ~25 ms on top of the ~30 ms of the provisioner itself).
 *
 * @module
 */

import type { parsePkgbuild } from "../pkgbuild/mod.ts";
import type { fetchSources, planSources, prepareSrcdir } from "../source/mod.ts";
import type { readPkgbuildTrusted, runRecipe } from "../run/mod.ts";

/** The functions of the other stages, as the pipeline calls them. */
export interface Stages {
  /** `parsePkgbuild` from the PKGBUILD engine (the static evaluator). */
  readonly parsePkgbuild: typeof parsePkgbuild;
  /** `planSources` from the source stage. */
  readonly planSources: typeof planSources;
  /** `fetchSources` from the source stage. */
  readonly fetchSources: typeof fetchSources;
  /** `prepareSrcdir` from the source stage. */
  readonly prepareSrcdir: typeof prepareSrcdir;
  /** `runRecipe` from the build runner. */
  readonly runRecipe: typeof runRecipe;
  /** `readPkgbuildTrusted` from the build runner (the opt-in trusted metadata fallback). */
  readonly readPkgbuildTrusted: typeof readPkgbuildTrusted;
}

let loaded: Promise<Stages> | undefined;

/** Loads the stage functions, once. */
export function loadStages(): Promise<Stages> {
  loaded ??= Promise.all([
    import("../pkgbuild/mod.ts"),
    import("../source/mod.ts"),
    import("../run/mod.ts"),
  ]).then(([pkgbuild, source, run]) => ({
    parsePkgbuild: pkgbuild.parsePkgbuild,
    planSources: source.planSources,
    fetchSources: source.fetchSources,
    prepareSrcdir: source.prepareSrcdir,
    runRecipe: run.runRecipe,
    readPkgbuildTrusted: run.readPkgbuildTrusted,
  }));
  return loaded;
}
