/**
 * The schema of a record file (`workers/<id>/record.json`), validated on
 * every read by a hand-written validator driven by a field table: a new
 * field is one line in {@link RECORD_FIELDS}. Unknown fields are kept (a
 * newer version may add some); a field of the wrong type, a missing
 * required field, or a path that leaves the root fails with
 * {@link RecordInvalidError}, which names the file and the fix.
 *
 * Paths are stored relative to the install root, in the form of package
 * tree paths (`usr/local/bin/x`): no `..`, not absolute. Older records with
 * absolute paths are read when the path lies inside the root.
 *
 * @module
 */

import { isAbsolute, join, normalize } from "../_path.ts";
import { RecordInvalidError } from "./errors.ts";
import { packagePathProblem } from "./package_path.ts";
import { isInside } from "./contained_path.ts";
import { workerIdProblem } from "./worker_id.ts";

/** Checks one value; returns why it is wrong, or `null`. */
export type FieldCheck = (value: unknown) => string | null;

/** One field of a schema. */
export interface FieldSpec {
  /** Whether the field must be present. */
  readonly required: boolean;
  /** The check of its value. */
  readonly check: FieldCheck;
}

/** A string. */
export const isString: FieldCheck = (v) => typeof v === "string" ? null : `not a string`;
/** A non-empty string. */
export const isNonEmptyString: FieldCheck = (v) =>
  typeof v === "string" && v !== "" ? null : `not a non-empty string`;
/** A non-negative safe integer. */
export const isCount: FieldCheck = (v) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? null : "not a non-negative integer";
/** A plain object. */
export const isObject: FieldCheck = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? null : "not an object";
/** A worker id. */
export const isId: FieldCheck = (v) => workerIdProblem(v);
/** A stored path: relative inside the root (or an absolute path, checked against the root later). */
export const isStoredPath: FieldCheck = (v) => {
  if (typeof v !== "string") return "not a string";
  return isAbsolute(v) ? null : packagePathProblem(v);
};

/** An array whose every element passes `check`. */
export function arrayOf(check: FieldCheck): FieldCheck {
  return (v) => {
    if (!Array.isArray(v)) return "not an array";
    for (let i = 0; i < v.length; i++) {
      const problem = check(v[i]);
      if (problem) return `[${i}]: ${problem}`;
    }
    return null;
  };
}

/** An object whose fields pass `fields`. */
export function objectOf(fields: Readonly<Record<string, FieldSpec>>): FieldCheck {
  return (v) => {
    const problem = isObject(v);
    if (problem) return problem;
    return fieldsProblem(v as Record<string, unknown>, fields);
  };
}

/** Why `value` fails `fields`, or `null`. */
export function fieldsProblem(
  value: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, FieldSpec>>,
): string | null {
  for (const [name, spec] of Object.entries(fields)) {
    if (!Object.hasOwn(value, name) || value[name] === undefined) {
      if (spec.required) return `field \`${name}\` is missing`;
      continue;
    }
    const problem = spec.check(value[name]);
    if (problem) return `field \`${name}\`${problem.startsWith("[") ? "" : " is "}${problem}`;
  }
  return null;
}

const FILE_TYPES = new Set(["file", "dir", "symlink"]);

/** The fields of one entry of `files`. */
export const RECORDED_FILE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  path: { required: true, check: isStoredPath },
  type: {
    required: true,
    check: (v) => FILE_TYPES.has(v as string) ? null : "not file, dir or symlink",
  },
  mode: {
    required: true,
    check: (v) => isCount(v) ?? ((v as number) > 0o7777 ? "not a mode" : null),
  },
  size: { required: true, check: isCount },
  sha256: {
    required: false,
    check: (v) => /^[0-9a-f]{64}$/.test(String(v)) ? null : "not a sha256",
  },
  target: { required: false, check: isString },
};

/** The fields of a record, schema 1. Add a line here to add a field. */
export const RECORD_FIELDS: Readonly<Record<string, FieldSpec>> = {
  schema: { required: true, check: (v) => v === 1 ? null : "not 1" },
  id: { required: true, check: isId },
  version: { required: true, check: isNonEmptyString },
  arch: { required: true, check: isNonEmptyString },
  platform: { required: true, check: isString },
  packages: { required: true, check: arrayOf(isId) },
  root: { required: true, check: isString },
  installedAt: { required: true, check: isString },
  txid: { required: true, check: isNonEmptyString },
  files: { required: true, check: arrayOf(objectOf(RECORDED_FILE_FIELDS)) },
  createdDirs: { required: false, check: arrayOf(isStoredPath) },
  executables: { required: true, check: arrayOf(isStoredPath) },
  origin: { required: true, check: isString },
  workerType: { required: false, check: isString },
  entry: { required: false, check: isObject },
  packageCache: { required: false, check: isObject },
};

/** A path relative to a tree, inside it (no `..`, not absolute). */
export const isTreePath: FieldCheck = (v) =>
  typeof v === "string" ? packagePathProblem(v) : "not a string";

/** A boolean. */
export const isBoolean: FieldCheck = (v) => typeof v === "boolean" ? null : "not a boolean";

/**
 * The fields of one file of a cache entry: a recorded file's, its path
 * inside the entry's tree, and the stamp the entry is trusted on (inode and
 * mtime in milliseconds; required of regular files by the reader) and
 * whether it is a `backup` file.
 */
export const CACHE_ENTRY_FILE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ...RECORDED_FILE_FIELDS,
  path: { required: true, check: isTreePath },
  ino: { required: false, check: isCount },
  mtimeMs: { required: false, check: (v) => Number.isSafeInteger(v) ? null : "not an integer" },
  backup: { required: false, check: isBoolean },
};

/**
 * The fields of a local package cache entry's `entry.json`, schema 2
 * (`src/provision/package_cache.ts`; schema 1 entries, full copies without
 * stamps, are refused and rebuilt): its files are `<pkgname>/<path>`
 * inside the entry's tree, its packages and its worker valid ids.
 */
export const CACHE_ENTRY_FIELDS: Readonly<Record<string, FieldSpec>> = {
  schema: { required: true, check: (v) => v === 2 ? null : "not 2" },
  key: { required: true, check: (v) => /^[0-9a-f]{16,128}$/.test(String(v)) ? null : "not a key" },
  id: { required: true, check: isId },
  version: { required: true, check: isNonEmptyString },
  builtAt: { required: true, check: isString },
  packages: { required: true, check: arrayOf(isId) },
  files: {
    required: true,
    check: arrayOf(objectOf(CACHE_ENTRY_FILE_FIELDS)),
  },
  metadata: {
    required: true,
    check: objectOf({
      id: { required: true, check: isId },
      version: { required: true, check: isNonEmptyString },
      arch: { required: true, check: isNonEmptyString },
    }),
  },
};

/** Where a record was read: for messages and the containment of its paths. */
export interface RecordContext {
  /** The record file. */
  readonly file: string;
  /** The worker id its directory names. */
  readonly id: string;
  /** The root its paths are relative to. */
  readonly root: string;
}

/** A stored path resolved against `root`, or why it leaves it. */
function resolveStored(path: string, root: string): string | { problem: string } {
  const abs = isAbsolute(path) ? path : join(root, path);
  if (!isInside(abs, root) || normalize(abs) === normalize(root).replace(/(.)\/+$/, "$1")) {
    return { problem: `path ${path} is outside the root ${root}` };
  }
  return abs;
}

/**
 * Parses and validates the text of a record file, and resolves its paths
 * against `ctx.root` (every one must lie inside it). Returns the record
 * with absolute paths; throws {@link RecordInvalidError}.
 */
export function parseRecordText(text: string, ctx: RecordContext): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordInvalidError(ctx.file, `not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const problem = isObject(value) ?? fieldsProblem(value as Record<string, unknown>, RECORD_FIELDS);
  if (problem) throw new RecordInvalidError(ctx.file, problem);
  const record = value as Record<string, unknown> & {
    id: string;
    files: { path: string; type: string; target?: string; sha256?: string }[];
    createdDirs?: string[];
    executables: string[];
  };
  if (record.id !== ctx.id) {
    throw new RecordInvalidError(ctx.file, `it is the record of ${record.id}, not of ${ctx.id}`);
  }
  const map = (p: string): string => {
    const abs = resolveStored(p, ctx.root);
    if (typeof abs !== "string") throw new RecordInvalidError(ctx.file, abs.problem);
    return abs;
  };
  for (const f of record.files) {
    if (f.type === "symlink" && typeof f.target !== "string") {
      throw new RecordInvalidError(ctx.file, `symlink ${f.path} has no target`);
    }
    if (f.type === "file" && typeof f.sha256 !== "string") {
      throw new RecordInvalidError(ctx.file, `file ${f.path} has no sha256`);
    }
  }
  return {
    ...record,
    files: record.files.map((f) => ({ ...f, path: map(f.path) })),
    createdDirs: (record.createdDirs ?? []).map(map),
    executables: record.executables.map(map),
  };
}
