/**
 * Sources: parse source entries as makepkg does, plan the sources of a run
 * (`source` + `source_<carch>` with their checksums), fetch them (http(s)
 * with resume and retries, git mirrors, local files) into a content-keyed
 * cache while verifying every checksum, and prepare srcdir (symlink, safe
 * extraction, git checkout).
 *
 * @example Fetch and extract the sources of a recipe
 * ```ts ignore
 * import { parsePkgbuild } from "@rbee/worker-provisioner/pkgbuild";
 * import { fetchSources, planSources, prepareSrcdir } from "@rbee/worker-provisioner/source";
 *
 * const pkgbuild = parsePkgbuild(await Deno.readTextFile("PKGBUILD"), { carch: "x86_64" });
 * const plan = planSources(pkgbuild, { strict: true });
 * const fetched = await fetchSources(plan, { cacheDir: "/var/cache/rbee/sources", recipeDir: "." });
 * await prepareSrcdir(fetched, "./src");
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export type {
  SourceCachedEvent,
  SourceDoneEvent,
  SourceEvent,
  SourceExtractEvent,
  SourceProgressEvent,
  SourceRetryEvent,
  SourceStartEvent,
  SourceVerifiedEvent,
  SourceWaitEvent,
  SourceWarningEvent,
} from "./events.ts";
export {
  GIT_FRAGMENT_KINDS,
  parseSourceEntry,
  type SourceEntry,
  sourceFileName,
  type SourceFragment,
  sourceProtocol,
  VCS_PROTOCOLS,
} from "./entry.ts";
export {
  assertPlanValid,
  type PlannedSource,
  type PlanOptions,
  planSources,
  type SourcePlan,
  SUPPORTED_PROTOCOLS,
} from "./plan.ts";
export {
  type ChecksumMismatch,
  compareChecksums,
  hashFile,
  MultiHasher,
  PosixCksum,
} from "./integrity.ts";
export { bypassesProxy, type FetchOptions, fetchSources, type ProxyOptions } from "./fetch.ts";
export type { FetchedSource, SourceSignature } from "./protocols/protocol.ts";
export { type PrepareOptions, prepareSrcdir } from "./srcdir.ts";
export { type ArchiveFormat, detectFormat } from "./extract/detect.ts";
export { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from "./extract/limits.ts";
