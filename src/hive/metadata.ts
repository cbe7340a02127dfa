/**
 * rbee-hive's worker catalog entry: `DIR/<id>/metadata.json` in the format
 * of its `FilesystemCatalog` (serde defaults: enum variants as strings,
 * timestamps RFC 3339 UTC):
 *
 * ```json
 * {"artifact": {"id": "llm-worker-rbee-cpu", "worker_type": "CpuLlm",
 *               "platform": "Linux", "path": "/usr/local/bin/llm-worker-rbee-cpu",
 *               "size": 12345678, "status": "Available", "version": "0.1.0",
 *               "added_at": "2026-12-06T04:00:00Z"},
 *  "added_at": "2026-12-06T04:00:00Z", "last_accessed": null}
 * ```
 *
 * Pure: the installed record goes in, the entry (or why there is none)
 * comes out.
 *
 * @module
 */

import { basename } from "node:path";

/** The hive's worker types. */
export type HiveWorkerType = "CpuLlm" | "CudaLlm" | "MetalLlm";

/** The hive's platforms. */
export type HivePlatform = "Linux" | "MacOS" | "Windows";

/** The `artifact` of a hive catalog entry. */
export interface HiveArtifact {
  /** The worker id. */
  readonly id: string;
  /** Its type, from the catalog's `worker_type`. */
  readonly worker_type: HiveWorkerType;
  /** The platform it runs on. */
  readonly platform: HivePlatform;
  /** Absolute path of the main executable. */
  readonly path: string;
  /** Size of the main executable in bytes. */
  readonly size: number;
  /** Always `Available`: only installed workers are registered. */
  readonly status: "Available";
  /** The worker's version (`pkgver`, without `pkgrel`). */
  readonly version: string;
  /** When it was installed, RFC 3339 UTC. */
  readonly added_at: string;
}

/** One `metadata.json` of the hive's worker catalog. */
export interface HiveMetadata {
  /** The artifact. */
  readonly artifact: HiveArtifact;
  /** When it was added, RFC 3339 UTC. */
  readonly added_at: string;
  /** Never accessed yet. */
  readonly last_accessed: null;
}

const WORKER_TYPES: Readonly<Record<string, HiveWorkerType>> = {
  cpu: "CpuLlm",
  cuda: "CudaLlm",
  metal: "MetalLlm",
};

const PLATFORMS: Readonly<Record<string, HivePlatform>> = {
  linux: "Linux",
  macos: "MacOS",
  windows: "Windows",
};

/** The hive's worker type for a catalog `worker_type`, or undefined for one it does not know. */
export function hiveWorkerType(workerType: string | undefined): HiveWorkerType | undefined {
  return workerType === undefined ? undefined : WORKER_TYPES[workerType.toLowerCase()];
}

/** The hive's platform for a catalog platform, or undefined. */
export function hivePlatform(platform: string): HivePlatform | undefined {
  return PLATFORMS[platform.toLowerCase()];
}

/** The installed worker, as far as the hive entry needs it. */
export interface InstalledWorker {
  /** The worker id. */
  readonly id: string;
  /** Full version `epoch:pkgver-pkgrel`. */
  readonly version: string;
  /** The platform (`linux`, ...). */
  readonly platform: string;
  /** The catalog's `worker_type`. */
  readonly workerType?: string;
  /** The executables, absolute paths. */
  readonly executables: readonly string[];
  /** The catalog entry (its `binary_name` and `install_path` name the main executable). */
  readonly entry?: Readonly<Record<string, unknown>>;
  /** When it was installed (ISO 8601). */
  readonly installedAt: string;
}

/**
 * The main executable: the one named by the entry's `binary_name` (or the
 * base name of its `install_path`) among the installed executables, else the
 * single executable. Returns why there is none otherwise.
 */
export function mainExecutable(worker: InstalledWorker): { path: string } | { problem: string } {
  const entry = worker.entry ?? {};
  const named = typeof entry.binary_name === "string"
    ? entry.binary_name
    : typeof entry.install_path === "string"
    ? basename(entry.install_path)
    : undefined;
  if (named !== undefined) {
    const found = worker.executables.filter((e) => basename(e) === named);
    if (found.length === 1) return { path: found[0] };
    return {
      problem: `its catalog entry names ${named}, which it did not install as an executable`,
    };
  }
  if (worker.executables.length === 1) return { path: worker.executables[0] };
  return {
    problem: worker.executables.length
      ? `it installs ${worker.executables.length} executables and its catalog entry names none (binary_name)`
      : "it installs no executable",
  };
}

/** The version the hive shows: `pkgver` without `epoch:` and `-pkgrel`. */
export function hiveVersion(fullVersion: string): string {
  return fullVersion.replace(/^\d+:/, "").replace(/-[^-]+$/, "");
}

/** RFC 3339 UTC without milliseconds, as chrono writes a whole-second time. */
export function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The hive catalog entry of `worker`, whose main executable is `size`
 * bytes, or why it cannot have one (no known `worker_type`, platform or main
 * executable).
 */
export function hiveMetadata(
  worker: InstalledWorker,
  size: (path: string) => number,
): { metadata: HiveMetadata } | { problem: string } {
  const type = hiveWorkerType(worker.workerType);
  if (!type) {
    return {
      problem: worker.workerType === undefined
        ? "it has no worker_type (install it from a catalog)"
        : `the hive knows no worker_type ${worker.workerType} (cpu, cuda, metal)`,
    };
  }
  const platform = hivePlatform(worker.platform);
  if (!platform) return { problem: `the hive knows no platform ${worker.platform}` };
  const main = mainExecutable(worker);
  if ("problem" in main) return main;
  const addedAt = rfc3339(worker.installedAt);
  return {
    metadata: {
      artifact: {
        id: worker.id,
        worker_type: type,
        platform,
        path: main.path,
        size: size(main.path),
        status: "Available",
        version: hiveVersion(worker.version),
        added_at: addedAt,
      },
      added_at: addedAt,
      last_accessed: null,
    },
  };
}
