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
  /** The operation was cancelled (an AbortSignal, Ctrl-C). */
  cancelled: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

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
