/**
 * Preflight: whether this machine can build and run a worker, decided
 * before anything is fetched: dependencies resolved by pacman, dpkg or PATH,
 * and the worker type's hardware (an NVIDIA driver for cuda, macOS for
 * metal), probed through an injectable system root.
 *
 * ```ts ignore
 * import { preflight, systemProbe } from "@rbee/worker-provisioner";
 *
 * const unmet = await preflight(pkgbuild, { workerType: "cuda", probe: systemProbe("/") });
 * for (const u of unmet) console.log(`${u.what}: ${u.fix}`);
 * ```
 *
 * @module
 */

export {
  checkPreflight,
  dependenciesOf,
  preflight,
  type PreflightOptions,
  resolverChain,
  type Unmet,
} from "./preflight.ts";
export { PreflightUnmetError } from "./errors.ts";
export { hasNvidiaDriver, type UnmetHardware, unmetHardware } from "./hardware.ts";
export { osFamily, readText, type SystemProbe, systemProbe } from "./system.ts";
export {
  DEBIAN_NAMES,
  debianNamesOf,
  dependencyName,
  EXECUTABLE_NAMES,
  executableOf,
} from "./names.ts";
export type { Resolver } from "./resolvers/resolver.ts";
export { dpkgResolver, installedDebianPackages } from "./resolvers/dpkg.ts";
export { pacmanResolver } from "./resolvers/pacman.ts";
export { pathResolver } from "./resolvers/path.ts";
export * from "./events.ts";
export { type PlannedWorker, preflightProvision } from "./provision.ts";
export { bestVariant, compatibleEntries, entryProblem } from "./select.ts";
