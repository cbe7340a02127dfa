/**
 * The error base every module of worker-provisioner throws, with a stable
 * string code (for programs) and a process exit code (for the CLI).
 *
 * Each area defines its own subclasses next to its code (for example
 * `src/pkgbuild/errors.ts`); all of them extend {@link ProvisionerError} and
 * take their exit code from {@link ExitCode}, so the CLI can map any failure
 * to a documented exit status without knowing the subclass.
 *
 * @module
 */

/**
 * Process exit codes of the CLI, one per class of failure. Stable: scripts
 * depend on them, so a value is never reused for another meaning.
 */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** A failure that fits no other class (a bug, an unexpected I/O error). */
  failure: 1,
  /** Bad command line: unknown command or flag, missing argument. */
  usage: 2,
  /** The worker, recipe, file or record asked for does not exist. */
  notFound: 3,
  /** The worker does not support this platform or architecture. */
  incompatible: 4,
  /** A source did not match its checksum, or a checksum array is wrong; or a signature did not verify. */
  checksumMismatch: 5,
  /** A download or git fetch failed after its retries. */
  downloadFailed: 6,
  /** A recipe function (prepare, build, check, package) failed. */
  buildFailed: 7,
  /** A Deno permission or a file-system permission is missing. */
  permissionDenied: 8,
  /** Another process holds the lock of this worker. */
  lockBusy: 9,
  /** The PKGBUILD is invalid, or uses a construct the static evaluator refuses. */
  pkgbuildInvalid: 10,
  /** Installing would overwrite files owned by another worker or by nobody. */
  installConflict: 11,
  /** An archive could not be extracted, or tried to write outside its directory. */
  extractFailed: 12,
  /** A catalog answered badly or could not be reached. */
  catalogFailed: 13,
  /** An installed worker no longer matches its record. */
  verifyFailed: 14,
  /** A value from a catalog, command line, recipe, package or record would reach outside its root. */
  unsafeInput: 20,
  /** The disk (or the user's quota) is full. */
  diskFull: 15,
  /** The provisioner's own state (a record, a journal) is damaged; `doctor --repair` fixes it. */
  stateDamaged: 23,
  /** The operation was cancelled (an AbortSignal, Ctrl-C). */
  cancelled: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/** The name of one of the exit codes of {@link ExitCode}. */
export type ExitCodeName = keyof typeof ExitCode;

/** What each exit code means, one line (the README's exit-code table). */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCodeName, string>> = {
  ok: "success",
  failure: "a failure that fits no other class (a bug, an unexpected I/O error)",
  usage: "bad command line: unknown command or flag, missing argument",
  notFound: "the worker, recipe, file or record asked for does not exist",
  incompatible: "the worker does not support this platform or architecture",
  checksumMismatch: "a source did not match its checksum, or a checksum array is wrong",
  downloadFailed: "a download or git fetch failed after its retries",
  buildFailed: "a recipe function (prepare, build, check, package) failed",
  permissionDenied: "a Deno permission or a file-system permission is missing",
  lockBusy: "another process holds the lock of this worker",
  pkgbuildInvalid:
    "the PKGBUILD is invalid, uses a construct the static evaluator refuses, or fails lint",
  installConflict: "installing would overwrite files owned by another worker or by nobody",
  extractFailed: "an archive could not be extracted, or tried to write outside its directory",
  catalogFailed: "a catalog answered badly or could not be reached",
  verifyFailed: "an installed worker no longer matches its record (`verify`)",
  unsafeInput:
    "a worker id, package path or record path would reach outside its root (trust boundary)",
  diskFull: "the disk or the quota is full (`ENOSPC`, `EDQUOT`, or too little free space to stage)",
  stateDamaged: "the provisioner's own state is damaged (`doctor --repair` moves it aside)",
  cancelled: "cancelled (Ctrl-C, SIGTERM, an AbortSignal)",
};

/** One row of {@link ERROR_CODES}. */
export interface ErrorCodeInfo {
  /** The exit code of the CLI for it, by name in {@link ExitCode}. */
  readonly exit: ExitCodeName;
  /** What it means, one line. */
  readonly meaning: string;
}

/**
 * Every stable error `code` worker-provisioner uses, with its exit code and
 * one line of meaning: what `--json`, `provision.failed` and
 * {@link ProvisionerError.code} carry. Programs match on these strings; a
 * code is never reused for another meaning. The README's exit-code table is
 * generated from this table and {@link ExitCode} (`scripts/error_table.ts`)
 * and a test keeps them equal, and another that every error in `src/` uses a
 * code listed here with its exit code.
 */
export const ERROR_CODES = {
  UNEXPECTED: {
    exit: "failure",
    meaning: "an error nobody expected (a bug, an unusual I/O error)",
  },
  SANDBOX_UNAVAILABLE: {
    exit: "failure",
    meaning: "the sandbox is required but bubblewrap cannot run here",
  },
  PKGBUILD_PARSER_BUG: {
    exit: "failure",
    meaning: "the bash parser failed on its own invariant (a bug to report)",
  },
  USAGE: { exit: "usage", meaning: "unknown command or flag, missing or extra argument" },
  WORKER_NOT_FOUND: {
    exit: "notFound",
    meaning: "the catalog has no worker (or no PKGBUILD) under this id",
  },
  RECIPE_NOT_FOUND: {
    exit: "notFound",
    meaning: "a PKGBUILD path or recipe directory does not exist",
  },
  NOT_INSTALLED: { exit: "notFound", meaning: "the worker is not installed in this root" },
  SOURCE_NOT_FOUND: { exit: "notFound", meaning: "a local source is not next to the PKGBUILD" },
  PREFLIGHT_UNMET: {
    exit: "incompatible",
    meaning: "this machine lacks the worker's dependencies or hardware (a driver, macOS)",
  },
  INCOMPATIBLE: {
    exit: "incompatible",
    meaning: "the worker does not run on this platform or architecture",
  },
  CHECKSUM_MISMATCH: {
    exit: "checksumMismatch",
    meaning: "a source's content does not match the checksum the recipe pins",
  },
  CHECKSUM_ARRAY_INVALID: {
    exit: "checksumMismatch",
    meaning: "a checksum array does not fit its source array",
  },
  DOWNLOAD_FAILED: {
    exit: "downloadFailed",
    meaning: "a download or git fetch failed after all its retries",
  },
  BUILD_FAILED: {
    exit: "buildFailed",
    meaning: "a recipe function (prepare, build, check, package) failed",
  },
  BUILD_TIMEOUT: {
    exit: "buildFailed",
    meaning: "a recipe function ran longer than its time limit and was stopped",
  },
  PACKAGE_INVALID: {
    exit: "buildFailed",
    meaning: "a package tree holds something that cannot be installed",
  },
  PERMISSION_MISSING: {
    exit: "permissionDenied",
    meaning: "a Deno permission the command needs is not granted",
  },
  PERMISSION_DENIED: {
    exit: "permissionDenied",
    meaning: "the file system refused a read or write (root, state directory)",
  },
  LOCK_BUSY: { exit: "lockBusy", meaning: "another process holds the worker's lock" },
  PKGBUILD_SYNTAX: { exit: "pkgbuildInvalid", meaning: "the PKGBUILD is not valid bash" },
  BASH_SYNTAX: { exit: "pkgbuildInvalid", meaning: "a bash text is not valid bash" },
  BASH_CARRIAGE_RETURN: {
    exit: "pkgbuildInvalid",
    meaning: "a bash text has a carriage return its host refuses",
  },
  BASH_TOO_COMPLEX: {
    exit: "pkgbuildInvalid",
    meaning: "parsing or evaluating bash exceeds a size, depth or step limit",
  },
  BASH_PARSER_BUG: {
    exit: "failure",
    meaning: "the bash parser failed on its own invariant (a bug to report)",
  },
  PKGBUILD_CRLF: {
    exit: "pkgbuildInvalid",
    meaning: "the PKGBUILD has carriage returns (makepkg refuses them)",
  },
  PKGBUILD_REFUSED: {
    exit: "pkgbuildInvalid",
    meaning: "the PKGBUILD uses a construct the static evaluator will not evaluate",
  },
  PKGBUILD_TOO_COMPLEX: {
    exit: "pkgbuildInvalid",
    meaning: "evaluating the PKGBUILD exceeds a size, depth or step limit",
  },
  PKGBUILD_SOURCE_FAILED: {
    exit: "pkgbuildInvalid",
    meaning: "the PKGBUILD fails when sourced, as makepkg would see it",
  },
  PKGBUILD_LINT: {
    exit: "pkgbuildInvalid",
    meaning: "the PKGBUILD fails one of makepkg's lint rules",
  },
  SRCINFO_SYNTAX: { exit: "pkgbuildInvalid", meaning: "a .SRCINFO cannot be read" },
  SOURCE_INVALID: {
    exit: "pkgbuildInvalid",
    meaning: "a source entry is malformed (an unknown fragment, an empty name)",
  },
  PACKAGE_FUNCTION: {
    exit: "pkgbuildInvalid",
    meaning: "the package functions are missing or conflict",
  },
  PKGVER_INVALID: {
    exit: "pkgbuildInvalid",
    meaning: "pkgver() printed a version makepkg would reject",
  },
  METADATA_FAILED: {
    exit: "pkgbuildInvalid",
    meaning: "the trusted metadata reader could not source the PKGBUILD",
  },
  INSTALL_CONFLICT: {
    exit: "installConflict",
    meaning: "installing would replace files of another worker or of nobody",
  },
  EXTRACT_FAILED: {
    exit: "extractFailed",
    meaning: "an archive or a git checkout could not be unpacked",
  },
  WORKER_ID_INVALID: {
    exit: "unsafeInput",
    meaning: "a worker id, pkgbase or pkgname is not a safe file name (makepkg's pkgname rules)",
  },
  PATH_UNSAFE: {
    exit: "unsafeInput",
    meaning:
      "a path would leave its root, enter the state directory, or go through a planted symlink",
  },
  DISK_FULL: {
    exit: "diskFull",
    meaning: "no space left where the provisioner writes, or too little free space for a step",
  },
  RECORD_INVALID: {
    exit: "stateDamaged",
    meaning: "a record or journal file fails its schema; `doctor --repair` moves it aside",
  },
  EXTRACT_UNSAFE: {
    exit: "extractFailed",
    meaning: "an archive member would write outside srcdir, or is a device node",
  },
  REDIRECT_REFUSED: {
    exit: "downloadFailed",
    meaning: "a download redirected to another scheme (file:, ftp:) or from https to http",
  },
  DNS_FAILED: { exit: "downloadFailed", meaning: "a source's host name could not be resolved" },
  CONNECTION_REFUSED: {
    exit: "downloadFailed",
    meaning: "a source's server refused the connection",
  },
  TLS_FAILED: {
    exit: "downloadFailed",
    meaning: "the TLS handshake with a source's server failed",
  },
  DOWNLOAD_STALLED: {
    exit: "downloadFailed",
    meaning: "a source's server sent nothing for longer than the stall deadline",
  },
  EXTRACT_LIMIT: {
    exit: "extractFailed",
    meaning: "an archive exceeds the extraction limit on bytes, entries or ratio (a bomb)",
  },
  SIGNATURE_INVALID: {
    exit: "checksumMismatch",
    meaning: "a signature does not verify, or its signer is unknown, revoked or not trusted",
  },
  SIGNATURE_REQUIRED: {
    exit: "checksumMismatch",
    meaning: "a file must be signed by a trusted key and is not",
  },
  SIGNATURE_ARTIFACT_INVALID: {
    exit: "checksumMismatch",
    meaning: "an OCI signature artifact is not what this version writes",
  },
  KEY_INVALID: { exit: "usage", meaning: "a key file given is not an OpenPGP key" },
  KEY_NOT_FOUND: { exit: "notFound", meaning: "no key with that fingerprint is in the keyring" },
  TIDY_TOOL: {
    exit: "buildFailed",
    meaning: "a tidy step's tool (strip, gzip, objcopy, debugedit) failed on the package tree",
  },
  PACKAGE_CORRUPT: {
    exit: "checksumMismatch",
    meaning: "a worker package's file or digest does not match its manifest",
  },
  PACKAGE_MALFORMED: {
    exit: "extractFailed",
    meaning: "a file is not a worker package (.pkg.tar.zst with .PKGINFO and .WORKER.json)",
  },
  PACKAGE_WRITE: { exit: "failure", meaning: "a worker package could not be written" },
  PACKAGE_DOWNLOAD: { exit: "downloadFailed", meaning: "a worker package could not be downloaded" },
  OCI_REFERENCE: { exit: "usage", meaning: "an oci:// reference is malformed" },
  OCI_AUTH: { exit: "permissionDenied", meaning: "the registry refused the credentials" },
  OCI_NOT_FOUND: {
    exit: "notFound",
    meaning: "the registry has no such repository, tag or digest",
  },
  OCI_NO_PLATFORM: {
    exit: "incompatible",
    meaning: "the registry's index has no package for this architecture",
  },
  OCI_DIGEST_MISMATCH: {
    exit: "checksumMismatch",
    meaning: "a blob or manifest from the registry does not match its digest",
  },
  OCI_REGISTRY: {
    exit: "downloadFailed",
    meaning: "the registry answered with an error or could not be reached",
  },
  CATALOG_UNREACHABLE: { exit: "catalogFailed", meaning: "the catalog could not be reached" },
  CATALOG_BAD_ANSWER: {
    exit: "catalogFailed",
    meaning: "the catalog answered, but not with what its API promises",
  },
  CATALOG_DIR_INVALID: {
    exit: "notFound",
    meaning: "`catalog serve --dir` names no directory, or one without workers/",
  },
  PORT_IN_USE: { exit: "usage", meaning: "the port a server should listen on is taken" },
  ADDRESS_UNAVAILABLE: {
    exit: "usage",
    meaning: "no interface of this machine has the address a server should listen on",
  },
  CANCELLED: {
    exit: "cancelled",
    meaning: "the operation was cancelled (an AbortSignal, Ctrl-C, SIGTERM)",
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

/** One of the stable error codes of {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options accepted by every {@link ProvisionerError}. */
export interface ProvisionerErrorOptions {
  /** The error that caused this one. */
  cause?: unknown;
  /** A short sentence telling the user how to fix the problem. */
  hint?: string;
}

/**
 * Base class of every error worker-provisioner throws on purpose.
 *
 * `code` is a stable, upper-case identifier such as `PKGBUILD_SYNTAX`;
 * `exitCode` is the CLI's exit status for it; `message` is one sentence-case
 * line without a trailing period that names the thing and, where there is
 * one, the fix.
 */
export class ProvisionerError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `CHECKSUM_MISMATCH`. */
  readonly code: string;
  /** Exit status the CLI uses for this failure. */
  readonly exitCode: ExitCodeValue;
  /** How to fix it, when known. */
  readonly hint?: string;

  /** Creates an error with its stable code and exit status. */
  constructor(
    code: string,
    exitCode: ExitCodeValue,
    message: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Thrown when an operation is cancelled through its `AbortSignal`. */
export class CancelledError extends ProvisionerError {
  /** Creates the error; `what` names the operation that was cancelled. */
  constructor(what: string, options: ProvisionerErrorOptions = {}) {
    super("CANCELLED", ExitCode.cancelled, `${what} was cancelled`, options);
  }
}

/** Throws {@link CancelledError} when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what, { cause: signal.reason });
}
