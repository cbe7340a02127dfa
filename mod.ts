/**
 * worker-provisioner puts rbee's LLM inference workers onto machines.
 *
 * It reads an Arch-style PKGBUILD recipe (from a worker catalog, a catalog
 * directory or a local file) with a static evaluator that never runs the
 * recipe's code, fetches and verifies the sources for the host architecture,
 * runs the recipe's functions in bash, and installs the result atomically,
 * as one locked, recorded, reversible transaction.
 *
 * This entry holds the provisioner ({@link WorkerProvisioner}), its options,
 * results, events ({@link ProvisionerEvent}) and errors, and the PKGBUILD
 * engine's three main functions. The parts usable alone have their own
 * entries: `@rbee/worker-provisioner/pkgbuild`, `/source`, `/run`,
 * `/catalog`, and `/cli` for the command line.
 *
 * {@link WorkerProvisioner.provision} throws a {@link ProvisionerError}
 * whose `code` and `exitCode` are listed in {@link ERROR_CODES}; each has
 * its own class here (for `instanceof`).
 *
 * @example Install the demo catalog's worker into a temporary root
 * ```ts
 * import { WorkerProvisioner } from "@rbee/worker-provisioner";
 *
 * const root = await Deno.makeTempDir();
 * const provisioner = new WorkerProvisioner({ catalog: "./fixtures/demo", root });
 * const controller = new AbortController(); // abort() cancels and rolls back
 * const worker = await provisioner.provision("demo-hello", {
 *   signal: controller.signal,
 *   onEvent: (event) => {
 *     if (event.type === "provision.step" && event.state === "start") console.log(event.step);
 *     if (event.type === "source.done") console.log("fetched", event.name);
 *   },
 * });
 * console.log(worker.id, worker.version, worker.executables);
 * console.log((await provisioner.list()).map((w) => w.id)); // ["demo-hello"]
 * await provisioner.remove("demo-hello");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @example Print the `.SRCINFO` of a PKGBUILD
 * ```ts
 * import { parsePkgbuild, toSrcinfo } from "@rbee/worker-provisioner";
 *
 * const pkgbuild = parsePkgbuild(`
 * pkgname=llm-worker-rbee-cpu
 * pkgver=0.1.0
 * pkgrel=1
 * arch=(x86_64 aarch64)
 * source=("git+https://github.com/rbee/llama-orch.git#branch=main")
 * sha256sums=('SKIP')
 * `, { carch: "x86_64" });
 * console.log(toSrcinfo(pkgbuild));
 * ```
 *
 * @module
 */

// The provisioner, its options and results.
export { WorkerProvisioner } from "./src/provision/provisioner.ts";
export type {
  FetchCallOptions,
  FetchResult,
  PackageBuildOptions,
  ProvisionCallOptions,
  WorkerProvisionerOptions,
} from "./src/provision/options.ts";
export type { WorkerBinary } from "./src/provision/binary.ts";
export type { PlannedDownload, PlannedPaths, ProvisionPlan } from "./src/provision/plan.ts";
export type { Layout } from "./src/provision/paths.ts";
export type { UninstallResult } from "./src/provision/uninstall.ts";
export type {
  DiagnoseOptions,
  DoctorFinding,
  DoctorFindingKind,
  DoctorReport,
} from "./src/provision/doctor.ts";
export type { VerifyProblem, VerifyReport } from "./src/provision/verify.ts";
export type { RecordedFile } from "./src/provision/record.ts";
export type { WrittenPackage } from "./src/package/write.ts";
export type {
  PackageVerdict,
  PackageVerifier,
  RegistrySignatures,
  VerifiablePackage,
} from "./src/package/verify.ts";
export type { BinaryCache } from "./src/package/binary_cache.ts";
export type { RegistryOptions } from "./src/oci/package.ts";
export type { TidyConfig } from "./src/tidy/options.ts";
export {
  defaultHiveCatalogDir,
  type HiveArtifact,
  type HiveMetadata,
  readHiveMetadata,
} from "./src/hive/mod.ts";
export type {
  FetchedSource,
  FetchOptions,
  PlannedSource,
  ProxyOptions,
  SourceEntry,
  SourceFragment,
} from "./source.ts";
export type {
  Catalog,
  CatalogCallOptions,
  CatalogEntry,
  CatalogHealth,
  CatalogOptions,
  CatalogSource,
} from "./catalog.ts";

// Events.
export { envelope, EVENT_SCHEMA_VERSION } from "./src/events.ts";
export type { EventEnvelope, EventSink, StageEvent } from "./src/events.ts";
export { PROVISION_STEPS } from "./src/provision/events.ts";
export type {
  ProvisionCachedEvent,
  ProvisionDoneEvent,
  ProvisionEnvelope,
  ProvisionerEvent,
  ProvisionEvent,
  ProvisionFailedEvent,
  ProvisionFetchedEvent,
  ProvisionLockWaitEvent,
  ProvisionRecoveredEvent,
  ProvisionStep,
  ProvisionStepEvent,
} from "./src/provision/events.ts";
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
} from "./source.ts";
export type { RunEvent, RunOutputEvent, RunPhase, RunPhaseEvent, RunSandboxEvent } from "./run.ts";

// The PKGBUILD engine's main functions.
export {
  type LintFinding,
  type LintOptions,
  lintPkgbuild,
  parsePkgbuild,
  type ParsePkgbuildOptions,
  toSrcinfo,
} from "./pkgbuild.ts";
export { HASH_ALGORITHMS } from "./pkgbuild.ts";
export type {
  EvalLimits,
  HashAlgorithm,
  Pkgbuild,
  PkgbuildFunction,
  PkgbuildPackage,
  PkgbuildValue,
} from "./pkgbuild.ts";

// Errors: the base, the tables, and every class thrown.
export {
  CancelledError,
  ERROR_CODES,
  EXIT_CODE_MEANINGS,
  ExitCode,
  ProvisionerError,
} from "./src/errors.ts";
export type {
  ErrorCode,
  ErrorCodeInfo,
  ExitCodeName,
  ExitCodeValue,
  ProvisionerErrorOptions,
} from "./src/errors.ts";
export {
  CatalogBadAnswerError,
  CatalogDirError,
  CatalogUnreachableError,
  IncompatibleError,
  InstallConflictError,
  LockBusyError,
  NotInstalledError,
  PackageInvalidError,
  PermissionDeniedError,
  PortInUseError,
  RecipeLintError,
  RecipeNotFoundError,
  RecordInvalidError,
  UnsafePathError,
  UnsafeWorkerIdError,
  WorkerNotFoundError,
} from "./src/provision/errors.ts";
export { PreflightUnmetError } from "./src/preflight/errors.ts";
export { TidyToolError } from "./src/tidy/errors.ts";
export {
  PackageCorruptError,
  PackageMalformedError,
  PackageWriteError,
} from "./src/package/errors.ts";
export { PackageDownloadError } from "./src/package/download.ts";
export {
  OciAuthError,
  OciDigestMismatchError,
  OciNoPlatformError,
  OciNotFoundError,
  OciReferenceError,
  OciRegistryError,
} from "./src/oci/errors.ts";
export {
  KeyInvalidError,
  KeyNotFoundError,
  SignatureArtifactInvalidError,
  SignatureInvalidError,
  SignatureRequiredError,
} from "./src/signature/errors.ts";
export type { ConflictingPath } from "./src/provision/errors.ts";
export {
  BashLimitError,
  BashParserBugError,
  BashSyntaxError,
  PkgbuildLimitError,
  PkgbuildRefusedError,
  PkgbuildSourceError,
  SrcinfoSyntaxError,
} from "./pkgbuild.ts";
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
} from "./source.ts";
export {
  BuildFailedError,
  type BuildFailureDetails,
  BuildTimeoutError,
  PackageFunctionError,
  PkgverInvalidError,
  SandboxUnavailableError,
  TrustedMetadataError,
} from "./run.ts";

// Types that the exports above reach (options, results, event and error fields).
export type {
  BuildCallOptions,
  BuildResult,
  CacheStatus,
  InstallPackageOptions,
} from "./src/provision/options.ts";
export type { MovedSource, OutdatedReport } from "./src/provision/outdated.ts";
export type { UpgradeResult } from "./src/provision/upgrade.ts";
export type { PlannedEnvironment } from "./src/provision/plan.ts";
export type { PlanWarningEvent } from "./src/provision/events.ts";
export type { CacheQuery } from "./src/package/binary_cache.ts";
export type { ManifestFile, ManifestSource, PackageManifest } from "./src/package/manifest.ts";
export type { Credentials } from "./src/oci/auth.ts";
export type { UploadOptions } from "./src/oci/blob.ts";
export type {
  HiveEvent,
  HiveRegisteredEvent,
  HiveUnregisteredEvent,
  HiveWarningEvent,
} from "./src/hive/events.ts";
export type { HivePlatform, HiveWorkerType } from "./src/hive/metadata.ts";
export type { PreflightEvent, PreflightPassedEvent } from "./src/preflight/events.ts";
export type { Unmet } from "./src/preflight/preflight.ts";
export type { SignatureFailure } from "./src/signature/errors.ts";
export type {
  ExtractLimits,
  NetworkFailure,
  SourceResumeEvent,
  SourceSignature,
} from "./source.ts";
export type { BuildCacheDirs, Toolchain } from "./run.ts";
