/**
 * The source stage's limits from the command line: `--stall-timeout` (a
 * download's stall deadline) and `--extract-max-bytes`, `-entries`,
 * `-ratio` (what stops a decompression bomb), validated once here.
 *
 * @module
 */

import type { WorkerProvisionerOptions } from "../../provision/mod.ts";
import { type ParsedArgs, stringOption } from "../args.ts";
import { UsageError } from "../errors.ts";

/** The provisioner options the limit flags set. */
export type SourceLimitOptions = Pick<WorkerProvisionerOptions, "fetchOptions" | "extractLimits">;

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};

/** The options `--stall-timeout` and `--extract-max-*` set; none when the flags are absent. */
export function sourceLimitOptions(args: ParsedArgs): SourceLimitOptions {
  const stall = number(args, "stall-timeout", /^\d+(\.\d+)?$/);
  const maxBytes = size(args, "extract-max-bytes");
  const maxEntries = number(args, "extract-max-entries", /^\d+$/);
  const maxRatio = number(args, "extract-max-ratio", /^\d+(\.\d+)?$/);
  const limits = {
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(maxEntries !== undefined ? { maxEntries } : {}),
    ...(maxRatio !== undefined ? { maxRatio } : {}),
  };
  return {
    ...(stall !== undefined ? { fetchOptions: { stallDeadlineMs: Math.round(stall * 1000) } } : {}),
    ...(Object.keys(limits).length > 0 ? { extractLimits: limits } : {}),
  };
}

function number(args: ParsedArgs, name: string, pattern: RegExp): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  if (!pattern.test(text) || !(Number(text) > 0)) {
    throw new UsageError(`Invalid --${name} ${JSON.stringify(text)}: expected a positive number`);
  }
  return Number(text);
}

function size(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([KMGT]?)(?:i?B)?$/i.exec(text);
  const value = match ? Number(match[1]) * UNITS[match[2].toUpperCase()] : NaN;
  if (!(value > 0)) {
    throw new UsageError(
      `Invalid --${name} ${JSON.stringify(text)}: expected a size such as 512M or 64G`,
    );
  }
  return Math.floor(value);
}
