/**
 * A worker catalog entry, as the rbee worker catalog serves it, and its
 * validation. Unknown fields are kept as they are (a newer catalog may add
 * some); known fields are checked for their type.
 *
 * @module
 */

import { isWorkerId, workerIdProblem } from "../../boundary/worker_id.ts";

/** Where a worker's source lives (informational; the PKGBUILD is authoritative). */
export interface CatalogSource {
  /** `git` or `tarball`. */
  readonly type: string;
  /** The repository or tarball URL. */
  readonly url: string;
  /** Git branch, when any. */
  readonly branch?: string;
  /** Git tag, when any. */
  readonly tag?: string;
  /** Path inside the source, when any. */
  readonly path?: string;
}

/** One worker of a catalog. Fields not listed here are kept under their own names. */
export interface CatalogEntry {
  /** The worker id, e.g. `llm-worker-rbee-cpu`. */
  readonly id: string;
  /** The version the catalog advertises. */
  readonly version: string;
  /** Display name. */
  readonly name?: string;
  /** One-line description. */
  readonly description?: string;
  /** Implementation family, e.g. `llm-worker-rbee`. */
  readonly implementation?: string;
  /** `cpu`, `cuda`, `metal`, ... */
  readonly worker_type?: string;
  /** `linux`, `macos`, `windows`. Absent: any. */
  readonly platforms?: readonly string[];
  /** `x86_64`, `aarch64`. Absent: any. */
  readonly architectures?: readonly string[];
  /** License identifiers. */
  readonly license?: string;
  /** Where the catalog keeps the PKGBUILD. */
  readonly pkgbuild_url?: string;
  /** `cargo`, `cmake`, `pip`, `npm`. */
  readonly build_system?: string;
  /** The source the recipe builds from. */
  readonly source?: CatalogSource;
  /** Runtime dependencies. */
  readonly depends?: readonly string[];
  /** Build dependencies. */
  readonly makedepends?: readonly string[];
  /** Name of the main executable. */
  readonly binary_name?: string;
  /** Where the main executable is installed. */
  readonly install_path?: string;
  /** Any other field the catalog sends. */
  readonly [field: string]: unknown;
}

const STRING_FIELDS = [
  "name",
  "description",
  "implementation",
  "worker_type",
  "license",
  "pkgbuild_url",
  "build_system",
  "binary_name",
  "install_path",
] as const;
const STRING_ARRAY_FIELDS = [
  "platforms",
  "architectures",
  "depends",
  "makedepends",
  "supported_formats",
] as const;

/**
 * Checks that `value` is a catalog entry and returns it (unknown fields kept).
 * Returns the list of problems instead when it is not one.
 */
export function validateEntry(value: unknown): CatalogEntry | string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`expected an object, got ${describe(value)}`];
  }
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof v.id !== "string" || v.id === "") problems.push("`id` must be a non-empty string");
  else if (!isWorkerId(v.id)) {
    problems.push(
      `\`id\` ${JSON.stringify(v.id)} is not a safe worker id: ${workerIdProblem(v.id)}`,
    );
  }
  if (typeof v.version !== "string") problems.push("`version` must be a string");
  for (const f of STRING_FIELDS) {
    if (v[f] !== undefined && v[f] !== null && typeof v[f] !== "string") {
      problems.push(`\`${f}\` must be a string, got ${describe(v[f])}`);
    }
  }
  for (const f of STRING_ARRAY_FIELDS) {
    const a = v[f];
    if (
      a !== undefined && a !== null && (!Array.isArray(a) || a.some((x) => typeof x !== "string"))
    ) {
      problems.push(`\`${f}\` must be an array of strings, got ${describe(a)}`);
    }
  }
  if (v.source !== undefined && v.source !== null) {
    const s = v.source as Record<string, unknown>;
    if (typeof s !== "object" || typeof s.type !== "string" || typeof s.url !== "string") {
      problems.push("`source` must be an object with string `type` and `url`");
    }
  }
  return problems.length ? problems : (v as CatalogEntry);
}

/** A short description of a JSON value's type, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object"
    ? "an object"
    : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}
