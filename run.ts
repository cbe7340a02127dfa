/**
 * The build runner alone: runs a recipe's functions (`prepare`, `pkgver`,
 * `build`, `check`, `package`) in bash with makepkg's semantics and a clean
 * environment, inside a bubblewrap sandbox when it is available, streams
 * their output as events and stops their whole process tree on
 * cancellation; and the trusted metadata reader, which sources a PKGBUILD
 * the static evaluator declines in a sandboxed bash.
 *
 * {@link runRecipe} throws {@link BuildFailedError},
 * {@link BuildTimeoutError}, {@link PackageFunctionError},
 * {@link PkgverInvalidError}, {@link SandboxUnavailableError} and
 * {@link CancelledError}; {@link readPkgbuildTrusted} throws
 * {@link TrustedMetadataError}, {@link SandboxUnavailableError} and
 * {@link CancelledError}.
 *
 * @example Run a recipe's package() and list what it made
 * ```ts
 * import { parsePkgbuild } from "@rbee/worker-provisioner/pkgbuild";
 * import { runRecipe } from "@rbee/worker-provisioner/run";
 *
 * const dir = await Deno.makeTempDir();
 * const text = `pkgname=hello
 * pkgver=1
 * pkgrel=1
 * arch=(any)
 * package() { install -Dm755 /dev/null "$pkgdir/usr/bin/hello"; echo packaged; }
 * `;
 * await Deno.writeTextFile(`${dir}/PKGBUILD`, text);
 * await Deno.mkdir(`${dir}/src`); // prepareSrcdir() of the source stage fills it
 * const result = await runRecipe({
 *   pkgbuildPath: `${dir}/PKGBUILD`,
 *   pkgbuild: parsePkgbuild(text),
 *   startdir: dir,
 *   srcdir: `${dir}/src`,
 *   pkgdirBase: `${dir}/pkg`,
 *   carch: "x86_64",
 *   sandbox: "auto",
 *   logFile: `${dir}/build.log`,
 *   onEvent: (event) => {
 *     if (event.type === "run.output") console.log(event.phase, event.line);
 *   },
 * });
 * console.log(result.packages.map((p) => p.name)); // ["hello"]
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export type {
  RunEvent,
  RunOutputEvent,
  RunPhase,
  RunPhaseEvent,
  RunSandboxEvent,
} from "./src/run/events.ts";
export {
  type BuiltPackage,
  defaultChost,
  type RunOptions,
  runRecipe,
  type RunResult,
} from "./src/run/run.ts";
export { readPkgbuildTrusted, type TrustedMetadataOptions } from "./src/run/trusted_metadata.ts";
export {
  BUILD_FLAG_VARIABLES,
  buildEnvironment,
  DEFAULT_PATH,
  ENV_ALLOW_LIST,
  type EnvironmentOptions,
} from "./src/run/environment.ts";
export { probeSandbox, type SandboxProbe } from "./src/run/sandbox.ts";
export {
  BuildFailedError,
  type BuildFailureDetails,
  BuildTimeoutError,
  PackageFunctionError,
  PkgverInvalidError,
  SandboxUnavailableError,
  TrustedMetadataError,
} from "./src/run/errors.ts";
export type { EventSink, StageEvent } from "./src/events.ts";
export {
  type Pkgbuild,
  type PkgbuildFunction,
  type PkgbuildPackage,
  type PkgbuildValue,
} from "./pkgbuild.ts";
export {
  CancelledError,
  ExitCode,
  type ExitCodeValue,
  ProvisionerError,
  type ProvisionerErrorOptions,
} from "./src/errors.ts";
export type { BuildCacheDirs } from "./src/run/build_cache.ts";
export type { Toolchain } from "./src/run/toolchain.ts";
