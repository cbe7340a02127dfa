/**
 * The source plan of a run, computed purely from the evaluated PKGBUILD:
 * `source` plus `source_<carch>` (appended, as makepkg does), each entry with
 * the checksums of its own sums arrays (`sha256sums` for `source`,
 * `sha256sums_x86_64` for `source_x86_64`), its `noextract` flag, and the
 * problems makepkg's `check_checksums` would report.
 *
 * @module
 */

import {
  HASH_ALGORITHMS,
  type HashAlgorithm,
  type Pkgbuild,
  valueAsArray,
} from "../pkgbuild/model.ts";
import { parseSourceEntry, type SourceEntry } from "./entry.ts";
import { ChecksumArrayInvalidError, SourceInvalidError } from "./errors.ts";

/** Protocols this library can fetch. */
export const SUPPORTED_PROTOCOLS: readonly string[] = ["local", "file", "http", "https", "git"];

/** One source of the run with what it must match. */
export interface PlannedSource {
  /** The parsed entry. */
  readonly entry: SourceEntry;
  /** The array it comes from: `source` or `source_<carch>`. */
  readonly array: string;
  /** Its index in that array. */
  readonly index: number;
  /** Expected checksums by algorithm, lower case; `SKIP` values are left out. */
  readonly checksums: Readonly<Partial<Record<HashAlgorithm, string>>>;
  /** Algorithms whose array says `SKIP` for this entry. */
  readonly skipped: readonly HashAlgorithm[];
  /** Whether the file is listed in `noextract` (kept as it is in srcdir). */
  readonly noextract: boolean;
}

/** Every source of a run, in makepkg's order. */
export interface SourcePlan {
  /** The architecture the plan is for. */
  readonly carch: string;
  /** Whether strict mode (no `SKIP` on non-VCS sources) was asked for. */
  readonly strict: boolean;
  /** The sources: `source` first, then `source_<carch>`. */
  readonly sources: readonly PlannedSource[];
  /** Integrity problems, one sentence each; {@link fetchSources} refuses a plan that has any. */
  readonly problems: readonly string[];
  /** The recipe's `validpgpkeys`: fingerprints allowed to sign its sources (see `src/signature/`). */
  readonly validpgpkeys?: readonly string[];
}

/** Options of {@link planSources}. */
export interface PlanOptions {
  /** The architecture to plan for. @default the PKGBUILD's `carch` */
  carch?: string;
  /** Refuse `SKIP` checksums on non-VCS sources (pinned binaries only). @default false */
  strict?: boolean;
}

/**
 * Plans the sources of a run: `source` + `source_<carch>` with their checksums.
 *
 * @throws {SourceInvalidError} for a malformed entry or an unsupported protocol.
 */
export function planSources(pkgbuild: Pkgbuild, options: PlanOptions = {}): SourcePlan {
  const carch = options.carch ?? pkgbuild.carch;
  const strict = options.strict ?? false;
  const vars = pkgbuild.variables;
  const noextract = new Set(valueAsArray(vars.noextract));
  const problems: string[] = [];
  const sources: PlannedSource[] = [];
  for (const [array, suffix] of [["source", ""], [`source_${carch}`, `_${carch}`]] as const) {
    if (!(array in vars)) continue;
    const entries = valueAsArray(vars[array]);
    const sums = collectSums(pkgbuild, suffix, entries.length, array, problems);
    if (entries.length > 0 || array !== "source") {
      const covered = HASH_ALGORITHMS.some((a) => sums[a] !== undefined);
      if (!covered) problems.push(`integrity checks are missing for ${array}`);
    }
    entries.forEach((raw, index) => {
      const entry = parseSourceEntry(raw);
      if (!SUPPORTED_PROTOCOLS.includes(entry.protocol)) {
        throw new SourceInvalidError(
          raw,
          `protocol ${entry.protocol} is not supported (supported: ${
            SUPPORTED_PROTOCOLS.join(", ")
          })`,
        );
      }
      const checksums: Partial<Record<HashAlgorithm, string>> = {};
      const skipped: HashAlgorithm[] = [];
      for (const algorithm of HASH_ALGORITHMS) {
        const value = sums[algorithm]?.[index];
        if (value === undefined) continue;
        if (value === "SKIP") skipped.push(algorithm);
        else checksums[algorithm] = value.toLowerCase();
      }
      checkEntrySums(entry, checksums, skipped, strict, problems);
      sources.push({
        entry,
        array,
        index,
        checksums,
        skipped,
        noextract: noextract.has(entry.name),
      });
    });
  }
  const validpgpkeys = valueAsArray(vars.validpgpkeys);
  return { carch, strict, sources, problems, validpgpkeys };
}

/** Throws {@link ChecksumArrayInvalidError} when `plan` has integrity problems. */
export function assertPlanValid(plan: SourcePlan): void {
  if (plan.problems.length > 0) throw new ChecksumArrayInvalidError(plan.problems);
}

/** The sums arrays (by algorithm) for one source array, with length problems reported. */
function collectSums(
  pkgbuild: Pkgbuild,
  suffix: string,
  count: number,
  array: string,
  problems: string[],
): Partial<Record<HashAlgorithm, readonly string[]>> {
  const sums: Partial<Record<HashAlgorithm, readonly string[]>> = {};
  for (const algorithm of HASH_ALGORITHMS) {
    const values = valueAsArray(pkgbuild.variables[`${algorithm}sums${suffix}`]);
    if (values.length === 0) continue;
    if (values.length !== count) {
      problems.push(
        `${algorithm}sums${suffix} has ${values.length} entries but ${array} has ${count}`,
      );
      continue;
    }
    sums[algorithm] = values;
  }
  return sums;
}

function checkEntrySums(
  entry: SourceEntry,
  checksums: Partial<Record<HashAlgorithm, string>>,
  skipped: readonly HashAlgorithm[],
  strict: boolean,
  problems: string[],
): void {
  if (entry.vcs) {
    for (const algorithm of Object.keys(checksums)) {
      problems.push(
        `${entry.name} is a ${entry.protocol} source and needs SKIP in ${algorithm}sums`,
      );
    }
  } else if (strict && skipped.length > 0) {
    problems.push(
      `${entry.name} is not pinned: strict mode refuses SKIP in ${
        skipped[0]
      }sums for non-VCS sources`,
    );
  }
  for (const [algorithm, value] of Object.entries(checksums)) {
    if (!validDigest(algorithm as HashAlgorithm, value)) {
      problems.push(
        `${algorithm}sums value ${JSON.stringify(value)} for ${entry.name} is malformed`,
      );
    }
  }
}

const HEX_LENGTHS: Record<HashAlgorithm, number> = {
  ck: 0,
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  b2: 128,
};

function validDigest(algorithm: HashAlgorithm, value: string): boolean {
  if (algorithm === "ck") return /^[0-9]+$/.test(value);
  return value.length === HEX_LENGTHS[algorithm] && /^[0-9a-f]+$/.test(value);
}
