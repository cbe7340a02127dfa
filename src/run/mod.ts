/**
 * The build runner: runs a recipe's functions in bash with makepkg's
 * semantics, streams their output, sandboxes them and cancels them; and the
 * trusted metadata fallback that sources a PKGBUILD in a sandboxed bash.
 *
 * ```ts ignore
 * import { runRecipe } from "@rbee/worker-provisioner/run";
 *
 * const result = await runRecipe({
 *   pkgbuildPath: "/recipes/llm-worker/PKGBUILD",
 *   pkgbuild, // from parsePkgbuild() or readPkgbuildTrusted()
 *   startdir: "/recipes/llm-worker",
 *   srcdir: "/var/cache/wp/build/src",
 *   pkgdirBase: "/var/cache/wp/build/pkg",
 *   carch: "x86_64",
 *   logFile: "/var/cache/wp/build/build.log",
 *   onEvent: (e) => e.type === "run.output" && console.log(e.line),
 * });
 * console.log(result.packages);
 * ```
 *
 * @module
 */

export * from "./events.ts";
export * from "./errors.ts";
export {
  type BuiltPackage,
  defaultChost,
  type RunOptions,
  runRecipe,
  type RunResult,
} from "./run.ts";
export { readPkgbuildTrusted, type TrustedMetadataOptions } from "./trusted_metadata.ts";
export {
  BUILD_FLAG_VARIABLES,
  buildEnvironment,
  DEFAULT_PATH,
  ENV_ALLOW_LIST,
  type EnvironmentOptions,
  isAllowedVariable,
  isVariableName,
} from "./environment.ts";
export {
  directoryToolchain,
  discoverToolchains,
  missingToolchainDirs,
  type RustupLocation,
  rustupToolchain,
  type Toolchain,
  type ToolchainDiscovery,
} from "./toolchain.ts";
export {
  BUILD_CACHE_SUBDIR,
  type BuildCacheDirs,
  buildCacheDirs,
  buildCacheEnv,
} from "./build_cache.ts";
export { type PhaseStep, pkgverProblem, planPhases, type PlanPhasesOptions } from "./phases.ts";
export { probeSandbox, type SandboxProbe } from "./sandbox.ts";
export { killProcessTree, type KillTreeOptions } from "./process_tree.ts";
