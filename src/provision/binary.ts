/**
 * {@link WorkerBinary}: what a provision returns and the hive needs to spawn
 * a worker, derived from its record.
 *
 * @module
 */

import type { WorkerRecord } from "./record.ts";

/** An installed worker, as `provision()` and `list()` report it. */
export interface WorkerBinary {
  /** The worker id. */
  readonly id: string;
  /** Full version: `epoch:pkgver-pkgrel` (no `epoch:` when it is 0). */
  readonly version: string;
  /** The architecture it was built for (makepkg's name). */
  readonly arch: string;
  /** The platform it runs on. */
  readonly platform: string;
  /** `cpu`, `cuda`, `metal`, ... when the catalog said. */
  readonly workerType?: string;
  /** The recipe's packages installed (several for a split recipe). */
  readonly packages: readonly string[];
  /** Every installed file and symlink, absolute paths. */
  readonly files: readonly string[];
  /** The executables, absolute paths (files with an x bit in a `bin` directory). */
  readonly executables: readonly string[];
  /** sha256 of each executable, by path. */
  readonly sha256: Readonly<Record<string, string>>;
  /** Total size of the installed files, in bytes. */
  readonly size: number;
  /** When it was installed (ISO 8601). */
  readonly installedAt: string;
  /** `true` when this call found it already installed (same version, intact) and changed nothing. */
  readonly alreadyInstalled: boolean;
}

/** Derives the {@link WorkerBinary} of `record`. */
export function workerBinaryOf(record: WorkerRecord, alreadyInstalled = false): WorkerBinary {
  const sha256: Record<string, string> = {};
  for (const f of record.files) {
    if (record.executables.includes(f.path) && f.sha256) sha256[f.path] = f.sha256;
  }
  return {
    id: record.id,
    version: record.version,
    arch: record.arch,
    platform: record.platform,
    ...(record.workerType !== undefined ? { workerType: record.workerType } : {}),
    packages: record.packages,
    files: record.files.filter((f) => f.type !== "dir").map((f) => f.path),
    executables: record.executables,
    sha256,
    size: record.files.reduce((n, f) => n + (f.type === "file" ? f.size : 0), 0),
    installedAt: record.installedAt,
    alreadyInstalled,
  };
}
