/**
 * Errors of the bash lexer and parser. All extend {@link ProvisionerError};
 * the syntax and limit errors have exit code {@link ExitCode.pkgbuildInvalid}
 * and a `BASH_*` code that a host may replace with its own (`code` option).
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/**
 * The text is not valid bash (code `BASH_SYNTAX`), or it contains a
 * carriage return the caller asked to refuse (code `BASH_CARRIAGE_RETURN`).
 */
export class BashSyntaxError extends ProvisionerError {
  /** What is wrong, without the position. */
  readonly detail: string;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;

  /**
   * Creates the error; the message reads
   * `syntax error at line L, column C: <detail>`.
   */
  constructor(
    detail: string,
    line: number,
    column: number,
    options: ProvisionerErrorOptions & { code?: string } = {},
  ) {
    super(
      options.code ?? "BASH_SYNTAX",
      ExitCode.pkgbuildInvalid,
      `syntax error at line ${line}, column ${column}: ${detail}`,
      options,
    );
    this.detail = detail;
    this.line = line;
    this.column = column;
  }
}

/**
 * The text exceeds a parser limit (size or nesting depth), code
 * `BASH_TOO_COMPLEX`: thrown instead of exhausting memory or the stack.
 */
export class BashLimitError extends ProvisionerError {
  /** The limit that was exceeded. */
  readonly detail: string;
  /** 1-based line where the limit was hit (1 for the size limit). */
  readonly line: number;
  /** 1-based column where the limit was hit. */
  readonly column: number;

  /** Creates the error; `detail` names the limit that was exceeded. */
  constructor(
    detail: string,
    line: number,
    column: number,
    options: ProvisionerErrorOptions & { code?: string } = {},
  ) {
    super(
      options.code ?? "BASH_TOO_COMPLEX",
      ExitCode.pkgbuildInvalid,
      `script too complex at line ${line}, column ${column}: ${detail}`,
      options,
    );
    this.detail = detail;
    this.line = line;
    this.column = column;
  }
}

/**
 * A defect in the parser itself (code `BASH_PARSER_BUG`): any failure
 * that is neither a syntax nor a limit error is wrapped in this, with the
 * original error as `cause`, so callers only ever see typed errors.
 */
export class BashParserBugError extends ProvisionerError {
  /** Creates the error around `cause`. */
  constructor(cause: unknown) {
    super(
      "BASH_PARSER_BUG",
      ExitCode.failure,
      `the bash parser failed unexpectedly (${
        cause instanceof Error ? cause.message : String(cause)
      }); please report this with the script`,
      { cause },
    );
  }
}
