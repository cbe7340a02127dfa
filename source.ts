/**
 * Sources alone: parse source entries as makepkg does, plan the sources of a
 * run (`source` + `source_<carch>` with their checksums), fetch them (http(s)
 * with resume and retries, git mirrors, local files) into a content-keyed
 * cache while verifying every checksum, and fill srcdir (symlinks, safe
 * extraction, git checkouts).
 *
 * {@link planSources} throws {@link SourceInvalidError};
 * {@link fetchSources} throws {@link ChecksumArrayInvalidError},
 * {@link ChecksumMismatchError}, {@link DownloadFailedError},
 * {@link SourceNotFoundError} and {@link CancelledError};
 * {@link prepareSrcdir} throws {@link ExtractFailedError},
 * {@link ExtractUnsafeError} and {@link CancelledError}.
 *
 * @example Verify a local source and place it in srcdir
 * ```ts
 * import { parsePkgbuild } from "@rbee/worker-provisioner/pkgbuild";
 * import { fetchSources, planSources, prepareSrcdir } from "@rbee/worker-provisioner/source";
 *
 * const recipeDir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${recipeDir}/hello.txt`, "hello\n");
 * const pkgbuild = parsePkgbuild(`
 * pkgname=hello
 * pkgver=1
 * pkgrel=1
 * arch=(any)
 * source=(hello.txt)
 * sha256sums=(5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03)
 * `);
 * const plan = planSources(pkgbuild, { strict: true });
 * const fetched = await fetchSources(plan, {
 *   cacheDir: `${recipeDir}/cache`,
 *   recipeDir,
 *   onEvent: (event) => console.log(event.type, event.name),
 * });
 * await prepareSrcdir(fetched, `${recipeDir}/src`);
 * console.log(await Deno.readTextFile(`${recipeDir}/src/hello.txt`)); // hello
 * await Deno.remove(recipeDir, { recursive: true });
 * ```
 *
 * @module
 */

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
} from "./src/source/events.ts";
export {
  parseSourceEntry,
  type SourceEntry,
  sourceFileName,
  type SourceFragment,
  sourceProtocol,
} from "./src/source/entry.ts";
export {
  type PlannedSource,
  type PlanOptions,
  planSources,
  type SourcePlan,
  SUPPORTED_PROTOCOLS,
} from "./src/source/plan.ts";
export { type ChecksumMismatch, compareChecksums, hashFile } from "./src/source/integrity.ts";
export {
  type FetchedSource,
  type FetchOptions,
  fetchSources,
  type ProxyOptions,
} from "./src/source/fetch.ts";
export { type PrepareOptions, prepareSrcdir } from "./src/source/srcdir.ts";
export {
  ChecksumArrayInvalidError,
  ChecksumMismatchError,
  DownloadFailedError,
  DownloadStalledError,
  ExtractFailedError,
  ExtractLimitError,
  ExtractUnsafeError,
  FileSystemError,
  InsufficientSpaceError,
  NetworkError,
  RedirectRefusedError,
  SourceInvalidError,
  SourceNotFoundError,
} from "./src/source/errors.ts";
export type { EventSink, StageEvent } from "./src/events.ts";
export {
  HASH_ALGORITHMS,
  type HashAlgorithm,
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
export type { ExtractLimits } from "./src/source/extract/limits.ts";
export type { NetworkFailure } from "./src/source/errors.ts";
export type { SourceResumeEvent } from "./src/source/events.ts";
export type { SourceSignature } from "./src/source/protocols/protocol.ts";
