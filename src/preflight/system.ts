/**
 * What preflight knows about the machine, read through an injectable system
 * root (`/` in production, a staged directory in tests): files such as
 * `/var/lib/dpkg/status`, `/proc/driver/nvidia/version`, `/etc/ld.so.cache`,
 * executables on `PATH`, and the platform.
 *
 * @module
 */

import { join } from "node:path";

/** The machine as preflight probes it. */
export interface SystemProbe {
  /** The root every absolute path is read under. */
  readonly root: string;
  /** `linux`, `macos`, `windows`. */
  readonly platform: string;
  /** A file's bytes, or null when it cannot be read. */
  readBytes(path: string): Uint8Array | null;
  /** Whether `path` is an executable regular file (after symlinks). */
  isExecutable(path: string): boolean;
  /** Whether `path` exists. */
  exists(path: string): boolean;
}

/** A {@link SystemProbe} over the directory `root` (paths are joined under it). */
export function systemProbe(root = "/", platform: string = Deno.build.os): SystemProbe {
  const under = (path: string) => join(root, path);
  return {
    root,
    platform: platform === "darwin" ? "macos" : platform,
    readBytes(path) {
      try {
        return Deno.readFileSync(under(path));
      } catch {
        return null;
      }
    },
    isExecutable(path) {
      try {
        const info = Deno.statSync(under(path));
        return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
      } catch {
        return false;
      }
    },
    exists(path) {
      try {
        Deno.statSync(under(path));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** A file's text through `probe`, or null. */
export function readText(probe: SystemProbe, path: string): string | null {
  const bytes = probe.readBytes(path);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/** The `ID` and `ID_LIKE` words of `/etc/os-release`. */
export function osFamily(probe: SystemProbe): string[] {
  const text = readText(probe, "/etc/os-release") ?? readText(probe, "/usr/lib/os-release") ?? "";
  const words: string[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(ID|ID_LIKE)=["']?([^"'\n]*)["']?$/);
    if (m) words.push(...m[2].split(/\s+/).filter(Boolean));
  }
  return words;
}
