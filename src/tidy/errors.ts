/**
 * Errors of the tidy steps.
 *
 * | code           | exit code     | when                                                   |
 * | -------------- | ------------- | ------------------------------------------------------ |
 * | `TIDY_TOOL`    | `buildFailed` | strip, objcopy, gzip, ... could not be started         |
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";

/** A program a tidy step needs could not be started. */
export class TidyToolError extends ProvisionerError {
  /** The program. */
  readonly program: string;
  /** Creates the error for `program`, with what starting it threw. */
  constructor(program: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("TIDY_TOOL", ExitCode.buildFailed, `Tidy step could not run ${program}: ${why}`, {
      hint:
        `install ${program} (binutils, gzip), allow it with --allow-run, or turn the step off with options=(!strip !zipman)`,
      cause,
    });
    this.program = program;
  }
}
