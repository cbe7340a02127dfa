/**
 * Compatibility, decided before anything is fetched: the host platform and
 * architecture (spellings normalised to makepkg's: `amd64`/`x64` → `x86_64`,
 * `arm64` → `aarch64`) against the catalog entry's `platforms` /
 * `architectures` and the PKGBUILD's `arch=()` (where `any` fits every
 * architecture). Pure: the host values are inputs.
 *
 * @module
 */

import { IncompatibleError } from "./errors.ts";

const ARCH_ALIASES: Readonly<Record<string, string>> = {
  amd64: "x86_64",
  x64: "x86_64",
  "x86-64": "x86_64",
  x86_64: "x86_64",
  arm64: "aarch64",
  aarch64: "aarch64",
  armv8: "aarch64",
};

const PLATFORM_ALIASES: Readonly<Record<string, string>> = {
  linux: "linux",
  darwin: "macos",
  macos: "macos",
  osx: "macos",
  windows: "windows",
  win32: "windows",
};

/** makepkg's spelling of an architecture name (`arm64` → `aarch64`); unknown names are kept lower-cased. */
export function normalizeArch(arch: string): string {
  const a = arch.trim().toLowerCase();
  return ARCH_ALIASES[a] ?? a;
}

/** The catalog's spelling of a platform (`darwin` → `macos`). */
export function normalizePlatform(platform: string): string {
  const p = platform.trim().toLowerCase();
  return PLATFORM_ALIASES[p] ?? p;
}

/** The host as the provisioner sees it. */
export interface HostTarget {
  /** `linux`, `macos`, `windows`. */
  readonly platform: string;
  /** makepkg's architecture name, e.g. `x86_64`. */
  readonly arch: string;
}

/** The host's platform and architecture from `Deno.build`, `arch` overriding it (`--arch`). */
export function hostTarget(arch?: string): HostTarget {
  return {
    platform: normalizePlatform(Deno.build.os),
    arch: normalizeArch(arch ?? Deno.build.arch),
  };
}

/** What a worker declares it supports. */
export interface SupportDeclaration {
  /** The worker id, for messages. */
  readonly id: string;
  /** The catalog entry's `platforms`, when there is an entry and it lists any. */
  readonly platforms?: readonly string[];
  /** The catalog entry's `architectures`, when there is an entry and it lists any. */
  readonly architectures?: readonly string[];
  /** The PKGBUILD's `arch=()`, when the recipe is known. */
  readonly pkgbuildArch?: readonly string[];
}

/** Returns why `target` is not supported, or `null` when it is. */
export function incompatibility(
  decl: SupportDeclaration,
  target: HostTarget,
): IncompatibleError | null {
  const platforms = decl.platforms?.map(normalizePlatform);
  if (platforms && platforms.length > 0 && !platforms.includes(target.platform)) {
    return new IncompatibleError(
      `Worker ${decl.id} does not support platform ${target.platform}; it supports ${
        platforms.join(", ")
      }`,
      platforms,
      { hint: `pick a worker built for ${target.platform}` },
    );
  }
  const catalogArchs = decl.architectures?.map(normalizeArch);
  if (catalogArchs && catalogArchs.length > 0 && !catalogArchs.includes(target.arch)) {
    return new IncompatibleError(
      `Worker ${decl.id} does not support architecture ${target.arch}; the catalog lists ${
        catalogArchs.join(", ")
      }`,
      catalogArchs,
      { hint: archHint(target.arch, catalogArchs) },
    );
  }
  if (decl.pkgbuildArch !== undefined) {
    const archs = decl.pkgbuildArch.map((a) => (a === "any" ? a : normalizeArch(a)));
    if (!archs.includes("any") && !archs.includes(target.arch)) {
      return new IncompatibleError(
        `Worker ${decl.id} does not support architecture ${target.arch}; its PKGBUILD arch=() lists ${
          archs.length ? archs.join(", ") : "nothing"
        }`,
        archs,
        { hint: archHint(target.arch, archs) },
      );
    }
  }
  return null;
}

/** Names the way out that fits: another worker, or the architecture this one is built for. */
function archHint(target: string, supported: readonly string[]): string {
  const other = supported.find((a) => a !== "any");
  return other
    ? `pick a worker built for ${target}, or fetch this one for ${other} with --arch ${other}`
    : `pick a worker built for ${target}`;
}

/** Throws {@link IncompatibleError} when `target` is not supported by `decl`. */
export function checkCompatibility(decl: SupportDeclaration, target: HostTarget): void {
  const error = incompatibility(decl, target);
  if (error) throw error;
}
