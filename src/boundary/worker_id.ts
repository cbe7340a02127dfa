/**
 * Worker ids, `pkgbase` and `pkgname`: the one owner of what a safe id is.
 * An id becomes a file name in the state directory (`workers/<id>/`,
 * `locks/<id>.lock`, `journal/<id>.json`) and in the build directory
 * (`pkg/<pkgname>`), so it is checked as makepkg's lint checks a package
 * name (`lint_pkgbuild/pkgname.sh`): not empty, no leading `-` or `.`,
 * ASCII, only `[[:alnum:]+_.@-]`; and, for a file name, at most
 * {@link WORKER_ID_MAX_LENGTH} characters.
 *
 * @module
 */

import { type InputSource, UnsafeWorkerIdError } from "./errors.ts";

/** A safe worker id: makepkg's pkgname charset, no leading `-` or `.`. */
export const WORKER_ID_PATTERN: RegExp = /^[A-Za-z0-9@_+][A-Za-z0-9@._+-]*$/;

/** The longest id accepted (a file name is at most 255 bytes; suffixes like `~<uuid>` need room). */
export const WORKER_ID_MAX_LENGTH = 200;

/** Why `value` is not a safe worker id, or `null` when it is one. */
export function workerIdProblem(value: unknown): string | null {
  if (typeof value !== "string") return `not a string but ${typeof value}`;
  if (value === "") return "it is empty";
  if (value[0] === "-") return "it starts with a hyphen";
  if (value[0] === ".") return "it starts with a dot";
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(value)) return "it may only contain ascii characters";
  const invalid = value.replace(/[A-Za-z0-9+_.@-]/g, "");
  if (invalid !== "") return `it contains invalid characters: '${invalid}'`;
  if (value.length > WORKER_ID_MAX_LENGTH) {
    return `it is longer than ${WORKER_ID_MAX_LENGTH} characters`;
  }
  return null;
}

/** Whether `value` is a safe worker id. */
export function isWorkerId(value: unknown): value is string {
  return workerIdProblem(value) === null;
}

/**
 * Returns `value` when it is a safe worker id; throws {@link UnsafeWorkerIdError}
 * naming `what` (`worker id`, `pkgbase`, `pkgname`) and `source` otherwise.
 */
export function requireWorkerId(
  value: unknown,
  source: InputSource,
  what = "worker id",
): string {
  const problem = workerIdProblem(value);
  if (problem !== null) throw new UnsafeWorkerIdError(String(value), what, source, problem);
  return value as string;
}
