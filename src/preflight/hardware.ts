/**
 * Hardware a worker type needs on this machine: `cuda` needs an NVIDIA
 * driver (`/proc/driver/nvidia/version`, or `libcuda.so.1` known to the
 * dynamic loader: named in `/etc/ld.so.cache`), `metal` needs macOS. Read
 * through the probe, so tests stage a driver under a directory.
 *
 * @module
 */

import type { SystemProbe } from "./system.ts";

/** A hardware requirement that is not met, and how to meet it. */
export interface UnmetHardware {
  /** What is missing, e.g. `an NVIDIA driver`. */
  readonly what: string;
  /** How to satisfy it. */
  readonly fix: string;
}

function contains(haystack: Uint8Array, needle: string): boolean {
  const n = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + n.length <= haystack.length; i++) {
    for (let j = 0; j < n.length; j++) if (haystack[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether an NVIDIA driver is present: the kernel module's version file, or libcuda.so.1 in the loader cache. */
export function hasNvidiaDriver(probe: SystemProbe): boolean {
  if (probe.exists("/proc/driver/nvidia/version")) return true;
  const cache = probe.readBytes("/etc/ld.so.cache");
  return cache !== null && contains(cache, "libcuda.so.1");
}

/** The hardware `workerType` needs that this machine lacks (empty when it has all, or the type needs none). */
export function unmetHardware(workerType: string | undefined, probe: SystemProbe): UnmetHardware[] {
  switch (workerType?.toLowerCase()) {
    case "cuda":
      return hasNvidiaDriver(probe) ? [] : [{
        what:
          "an NVIDIA driver (no /proc/driver/nvidia/version, no libcuda.so.1 in the loader cache)",
        fix: "install the NVIDIA driver, or use the cpu variant",
      }];
    case "metal":
      return probe.platform === "macos" ? [] : [{
        what: `macOS (metal workers run on macOS only; this is ${probe.platform})`,
        fix: "use the cpu or cuda variant",
      }];
    default:
      return [];
  }
}
