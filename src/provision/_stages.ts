/**
 * The other stages the pipeline wires together, taken from their barrels
 * (`src/pkgbuild/mod.ts`, `src/source/mod.ts`, `src/run/mod.ts`) by name.
 * Loaded lazily, so `list`/`remove`/`verify` never load the build machinery,
 * and a missing export is a clear error rather than a crash.
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";
import type { fetchSources, prepareSrcdir } from "../source/mod.ts";
import type { readPkgbuildTrusted, runRecipe } from "../run/mod.ts";

/** The functions of the other stages, as the pipeline calls them. */
export interface Stages {
  /** `parsePkgbuild` from the PKGBUILD engine (the static evaluator). */
  parsePkgbuild: typeof import("../pkgbuild/mod.ts").parsePkgbuild;
  /** `planSources` from the source stage. */
  planSources: typeof import("../source/mod.ts").planSources;
  /** `fetchSources` from the source stage. */
  fetchSources: typeof fetchSources;
  /** `prepareSrcdir` from the source stage. */
  prepareSrcdir: typeof prepareSrcdir;
  /** `runRecipe` from the build runner. */
  runRecipe: typeof runRecipe;
  /** `readPkgbuildTrusted` from the build runner (the opt-in trusted metadata fallback). */
  readPkgbuildTrusted: typeof readPkgbuildTrusted;
}

/** This build of the library lacks one of the pipeline's stages. */
export class StageMissingError extends ProvisionerError {
  /** Creates the error for the missing export `name` of `barrel`. */
  constructor(name: string, barrel: string) {
    super(
      "STAGE_MISSING",
      ExitCode.failure,
      `${name} is not available from ${barrel} in this build`,
      {
        hint: "update worker-provisioner; this pipeline step is not part of this version",
      },
    );
  }
}

let loaded: Promise<Stages> | undefined;

/** Loads the stage functions (once); a missing one throws {@link StageMissingError} when called. */
export function loadStages(): Promise<Stages> {
  loaded ??= (async () => {
    const [pkgbuild, source, run] = await Promise.all([
      import("../pkgbuild/mod.ts") as Promise<Record<string, unknown>>,
      import("../source/mod.ts") as Promise<Record<string, unknown>>,
      import("../run/mod.ts") as Promise<Record<string, unknown>>,
    ]);
    const pick = (mod: Record<string, unknown>, name: string, barrel: string) => {
      const f = mod[name];
      if (typeof f === "function") return f;
      return () => {
        throw new StageMissingError(name, barrel);
      };
    };
    return {
      parsePkgbuild: pick(pkgbuild, "parsePkgbuild", "src/pkgbuild/mod.ts"),
      planSources: pick(source, "planSources", "src/source/mod.ts"),
      fetchSources: pick(source, "fetchSources", "src/source/mod.ts"),
      prepareSrcdir: pick(source, "prepareSrcdir", "src/source/mod.ts"),
      runRecipe: pick(run, "runRecipe", "src/run/mod.ts"),
      readPkgbuildTrusted: pick(run, "readPkgbuildTrusted", "src/run/mod.ts"),
    } as unknown as Stages;
  })();
  return loaded;
}
