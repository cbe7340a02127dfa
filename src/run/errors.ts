/**
 * Errors of the build runner. Each has a stable `code` and its CLI exit status.
 *
 * | code                  | exit code           | when                                              |
 * | --------------------- | ------------------- | ------------------------------------------------- |
 * | `BUILD_FAILED`        | `buildFailed` (7)   | a recipe function exited with a non-zero status   |
 * | `BUILD_TIMEOUT`       | `buildFailed` (7)   | a phase ran longer than `phaseTimeoutMs`          |
 * | `SANDBOX_UNAVAILABLE` | `failure` (1)       | `sandbox: "require"` but bwrap cannot run         |
 * | `PACKAGE_FUNCTION`    | `pkgbuildInvalid`   | package() missing or conflicting, as makepkg says |
 * | `PKGVER_INVALID`      | `pkgbuildInvalid`   | pkgver() printed a version makepkg rejects        |
 * | `METADATA_FAILED`     | `pkgbuildInvalid`   | the trusted fallback could not source a PKGBUILD  |
 *
 * Cancellation rejects with `CancelledError` from `src/errors.ts`.
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";
import type { RunPhase } from "./events.ts";

/** Fields of a {@link BuildFailedError}. */
export interface BuildFailureDetails {
  /** The phase that failed. */
  readonly phase: RunPhase;
  /** The PKGBUILD function that failed, e.g. `package_foo`. */
  readonly functionName: string;
  /** Exit status of the function (the failing command's status, as the ERR trap saw it). */
  readonly exitCode: number;
  /** The last lines of output (stdout and stderr interleaved), oldest first. */
  readonly lastLines: readonly string[];
  /** Path of the log file holding the whole output. */
  readonly logFile: string;
}

/** A recipe function failed. */
export class BuildFailedError extends ProvisionerError {
  /** The phase that failed. */
  readonly phase: RunPhase;
  /** The PKGBUILD function that failed. */
  readonly functionName: string;
  /** Exit status of the function. */
  readonly functionExitCode: number;
  /** The last lines of output, oldest first. */
  readonly lastLines: readonly string[];
  /** Path of the whole log. */
  readonly logFile: string;

  /** Creates the error from the failure's details: one line, the last meaningful output line. */
  constructor(details: BuildFailureDetails) {
    const last = lastMeaningfulLine(details.lastLines);
    super(
      "BUILD_FAILED",
      ExitCode.buildFailed,
      `${details.functionName}() failed with exit code ${details.exitCode}` +
        (last ? `: ${last}` : " and printed nothing"),
      {
        hint: `the whole log is in ${details.logFile}; fix the recipe's ${details.functionName}()`,
      },
    );
    this.#details = details;
    this.phase = details.phase;
    this.functionName = details.functionName;
    this.functionExitCode = details.exitCode;
    this.lastLines = details.lastLines;
    this.logFile = details.logFile;
  }

  readonly #details: BuildFailureDetails;

  /** The same failure, its log kept at `logFile` (the build directory is removed). */
  withLogFile(logFile: string): BuildFailedError {
    return new BuildFailedError({ ...this.#details, logFile });
  }
}

/** makepkg's own banners around a failure, which say nothing about its cause. */
const BANNER = /^(==> (ERROR: A failure occurred in |Starting )|\s*->\s*$)/;

/** The last non-blank output line that is not one of makepkg's banners, trimmed. */
export function lastMeaningfulLine(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line && !BANNER.test(line)) return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  }
  return undefined;
}

/** A phase ran longer than its time limit; its whole process tree was stopped. */
export class BuildTimeoutError extends ProvisionerError {
  /** The phase that timed out. */
  readonly phase: RunPhase;
  /** The PKGBUILD function that timed out. */
  readonly functionName: string;
  /** The time limit in milliseconds. */
  readonly timeoutMs: number;
  /** Path of the whole log. */
  readonly logFile: string;

  /** Creates the error. */
  constructor(phase: RunPhase, functionName: string, timeoutMs: number, logFile: string) {
    super(
      "BUILD_TIMEOUT",
      ExitCode.buildFailed,
      `${functionName}() did not finish within ${timeoutMs} ms and was stopped; ` +
        `the log is in ${logFile}`,
      { hint: "Raise phaseTimeoutMs or find out why the function hangs" },
    );
    this.phase = phase;
    this.functionName = functionName;
    this.timeoutMs = timeoutMs;
    this.logFile = logFile;
  }
}

/** The sandbox was required but bubblewrap cannot run here. */
export class SandboxUnavailableError extends ProvisionerError {
  /** Creates the error; `reason` says why bwrap cannot run. */
  constructor(reason: string) {
    super(
      "SANDBOX_UNAVAILABLE",
      ExitCode.failure,
      `The build sandbox is required but bubblewrap cannot run: ${reason}`,
      { hint: 'Install bubblewrap (apt-get install bubblewrap) or pass sandbox: "auto"' },
    );
  }
}

/** The PKGBUILD's package functions are missing or conflict, as makepkg's lint reports. */
export class PackageFunctionError extends ProvisionerError {
  /** Creates the error with makepkg's wording. */
  constructor(message: string) {
    super("PACKAGE_FUNCTION", ExitCode.pkgbuildInvalid, message, {
      hint: "Define package() (or package_<name>() for each name of a split package)",
    });
  }
}

/** pkgver() printed a version makepkg would reject. */
export class PkgverInvalidError extends ProvisionerError {
  /** Creates the error for the rejected `version`. */
  constructor(version: string, why: string) {
    super(
      "PKGVER_INVALID",
      ExitCode.pkgbuildInvalid,
      `pkgver() generated an invalid version ${JSON.stringify(version)}: ${why}`,
      { hint: "Make pkgver() print one line without colons, slashes, hyphens or spaces" },
    );
  }
}

/** The trusted metadata fallback could not source the PKGBUILD. */
export class TrustedMetadataError extends ProvisionerError {
  /** Creates the error; `detail` is bash's own message. */
  constructor(pkgbuildPath: string, detail: string) {
    super(
      "METADATA_FAILED",
      ExitCode.pkgbuildInvalid,
      `Sourcing ${pkgbuildPath} in bash failed: ${detail}`,
      { hint: "Run `bash -n` on the PKGBUILD and fix the command that fails at its top level" },
    );
  }
}
