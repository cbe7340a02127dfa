/**
 * Errors of the PKGBUILD evaluator. The bash parser's syntax and size
 * errors (`BashSyntaxError`, `BashLimitError`) reach the caller with the
 * PKGBUILD codes `PKGBUILD_SYNTAX`, `PKGBUILD_CRLF` (a carriage return),
 * `PKGBUILD_TOO_COMPLEX` and `PKGBUILD_PARSER_BUG` (see `parse.ts`).
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** The hint every refusal carries. */
export const REFUSAL_HINT =
  "the static evaluator never runs commands; use the trusted fallback to source the PKGBUILD in a sandbox";

/**
 * The PKGBUILD uses a construct whose result the static evaluator cannot
 * know without running it (an external command, a file, the environment,
 * makepkg's own variables) or does not support (code `PKGBUILD_REFUSED`).
 */
export class PkgbuildRefusedError extends ProvisionerError {
  /** A short name of the refused construct, e.g. `external command 'sed'`. */
  readonly construct: string;
  /** The 1-based line of the refused construct. */
  readonly line: number;

  /** Creates the error; the message reads `refused at line L: <reason>`. */
  constructor(
    construct: string,
    line: number,
    reason: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super("PKGBUILD_REFUSED", ExitCode.pkgbuildInvalid, `refused at line ${line}: ${reason}`, {
      hint: REFUSAL_HINT,
      ...options,
    });
    this.construct = construct;
    this.line = line;
  }
}

/**
 * Evaluating the PKGBUILD needs more work than allowed: steps, recursion
 * depth, string size or expansion size (code `PKGBUILD_TOO_COMPLEX`).
 */
export class PkgbuildLimitError extends ProvisionerError {
  /** The bound that was exceeded: `steps`, `recursion`, `size` or `words`. */
  readonly bound: string;
  /** The 1-based line being evaluated when the bound was exceeded. */
  readonly line: number;

  /** Creates the error. */
  constructor(bound: string, line: number, detail: string, options: ProvisionerErrorOptions = {}) {
    super(
      "PKGBUILD_TOO_COMPLEX",
      ExitCode.pkgbuildInvalid,
      `PKGBUILD too complex at line ${line}: ${detail}`,
      { hint: "simplify the PKGBUILD or use the trusted fallback", ...options },
    );
    this.bound = bound;
    this.line = line;
  }
}

/**
 * makepkg itself fails to source the PKGBUILD: the last command of the top
 * level exits with a non-zero status, or a top-level `return` does
 * (code `PKGBUILD_SOURCE_FAILED`).
 */
export class PkgbuildSourceError extends ProvisionerError {
  /** The exit status `source` would return. */
  readonly status: number;

  /** Creates the error for `status`. */
  constructor(status: number, options: ProvisionerErrorOptions = {}) {
    super(
      "PKGBUILD_SOURCE_FAILED",
      ExitCode.pkgbuildInvalid,
      `makepkg fails to source this PKGBUILD: its top level ends with exit status ${status}`,
      { hint: "make the last top-level command of the PKGBUILD succeed", ...options },
    );
    this.status = status;
  }
}
