/**
 * Maps anything thrown to a {@link ProvisionerError}, so the CLI prints one
 * line and exits with a documented code: a Deno permission failure becomes
 * exit 8 naming the flag, a file-system permission error too, anything else
 * exit 1.
 *
 * @module
 */

import { CancelledError, ExitCode, ProvisionerError } from "../errors.ts";
import { fileSystemErrorOf } from "../source/errors.ts";

const FLAG_IN_DENO_MESSAGE = /run again with the (--allow-[a-z]+) flag/;
const WHAT_IN_DENO_MESSAGE = /Requires (\w+) access to "?([^",]+)"?/;

/** Converts `error` to a {@link ProvisionerError} (returned as is when it already is one). */
export function toProvisionerError(error: unknown): ProvisionerError {
  if (error instanceof ProvisionerError) return error;
  if (error instanceof Deno.errors.NotCapable) {
    const flagMatch = error.message.match(FLAG_IN_DENO_MESSAGE);
    const what = error.message.match(WHAT_IN_DENO_MESSAGE);
    const flag = flagMatch
      ? `${flagMatch[1]}${what ? `=${what[2]}` : ""}`
      : "the missing --allow-... flag";
    return new ProvisionerError(
      "PERMISSION_MISSING",
      ExitCode.permissionDenied,
      `Missing Deno permission: run again with ${flag}`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new ProvisionerError(
      "PERMISSION_DENIED",
      ExitCode.permissionDenied,
      firstLine(error.message),
      { cause: error, hint: "run as a user who may write there, or choose another --root" },
    );
  }
  // A full disk, an exhausted quota or a read-only file system anywhere: named, with the path.
  const fileSystem = fileSystemErrorOf(error, pathInMessage(error) ?? "a file");
  if (fileSystem) return fileSystem;
  if (error instanceof DOMException && error.name === "AbortError") {
    return new CancelledError("The operation", { cause: error });
  }
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  return new ProvisionerError("UNEXPECTED", ExitCode.failure, `Unexpected failure: ${message}`, {
    cause: error,
    hint: "run again with --verbose for details",
  });
}

/** The path a Deno file-system error names (`...: mkdir '/path'`), if any. */
function pathInMessage(error: unknown): string | undefined {
  return error instanceof Error ? /'([^']+)'\s*$/.exec(firstLine(error.message))?.[1] : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0].replace(/\.$/, "");
}
