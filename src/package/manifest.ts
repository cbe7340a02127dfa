/**
 * Our manifest inside every package (`.WORKER.json`): what the package holds
 * (every path with type, mode, size, sha256) and what it was built from (the
 * worker id, version, arch, worker_type, the recipe's digest, each source's
 * checksums and VCS commit). {@link parseManifest} validates one read from
 * outside, once.
 *
 * @module
 */

import { PackageMalformedError } from "./errors.ts";

/** The manifest's file name at the package root. */
export const MANIFEST_NAME = ".WORKER.json";

/** The manifest format this version writes and reads. */
export const MANIFEST_FORMAT = 1;

/** One path of a package. */
export interface ManifestFile {
  /** Relative path, `/`-separated. */
  readonly path: string;
  /** What it is. */
  readonly type: "file" | "dir" | "symlink";
  /** Permission bits. */
  readonly mode: number;
  /** Size in bytes (0 for directories and symlinks). */
  readonly size: number;
  /** sha256 of a file's content. */
  readonly sha256?: string;
  /** A symlink's target. */
  readonly target?: string;
}

/** One source the package was built from. */
export interface ManifestSource {
  /** Its file name in srcdir. */
  readonly name: string;
  /** Its URL (or local file name). */
  readonly url: string;
  /** Pinned checksums by algorithm (SKIP omitted). */
  readonly checksums: Readonly<Record<string, string>>;
  /** The commit a VCS source was built at. */
  readonly commit?: string;
}

/** The manifest of a worker package. */
export interface PackageManifest {
  /** {@link MANIFEST_FORMAT}. */
  readonly format: number;
  /** The worker id. */
  readonly id: string;
  /** The package name (a split recipe makes several). */
  readonly pkgname: string;
  /** The full version (`epoch:pkgver-pkgrel`). */
  readonly version: string;
  /** The architecture (`any` for architecture-independent packages). */
  readonly arch: string;
  /** The platform (linux). */
  readonly platform: string;
  /** The catalog's worker_type (cpu, cuda, metal), when known. */
  readonly worker_type?: string;
  /** sha256 of the PKGBUILD text. */
  readonly recipe_sha256: string;
  /** The sources, in order. */
  readonly sources: readonly ManifestSource[];
  /** The binary-cache key of the build (see `cache_key.ts`). */
  readonly cache_key?: string;
  /** SOURCE_DATE_EPOCH of the build (every mtime in the package). */
  readonly source_date_epoch: number;
  /** Every path of the package tree, sorted. */
  readonly files: readonly ManifestFile[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Whether `p` is a safe relative path (no `..`, not absolute, no empty segments). */
function isSafePath(p: string): boolean {
  return p !== "" && !p.startsWith("/") &&
    p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Validates one file entry. */
function parseFile(what: string, v: unknown): ManifestFile {
  const o = v as Record<string, unknown>;
  if (typeof o !== "object" || o === null || typeof o.path !== "string" || !isSafePath(o.path)) {
    throw new PackageMalformedError(
      what,
      `manifest lists an invalid path ${JSON.stringify(o?.path)}`,
    );
  }
  const type = o.type;
  if (type !== "file" && type !== "dir" && type !== "symlink") {
    throw new PackageMalformedError(what, `manifest gives ${o.path} an unknown type`);
  }
  if (!Number.isInteger(o.mode) || (o.mode as number) < 0 || (o.mode as number) > 0o7777) {
    throw new PackageMalformedError(what, `manifest gives ${o.path} an invalid mode`);
  }
  if (!Number.isSafeInteger(o.size) || (o.size as number) < 0) {
    throw new PackageMalformedError(what, `manifest gives ${o.path} an invalid size`);
  }
  if (type === "file" && (typeof o.sha256 !== "string" || !HEX64.test(o.sha256))) {
    throw new PackageMalformedError(what, `manifest gives ${o.path} no sha256`);
  }
  if (type === "symlink" && typeof o.target !== "string") {
    throw new PackageMalformedError(what, `manifest gives symlink ${o.path} no target`);
  }
  return {
    path: o.path,
    type,
    mode: o.mode as number,
    size: o.size as number,
    ...(type === "file" ? { sha256: o.sha256 as string } : {}),
    ...(type === "symlink" ? { target: o.target as string } : {}),
  };
}

/** Parses and validates a manifest read from package `what`. */
export function parseManifest(what: string, text: string): PackageManifest {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch (error) {
    throw new PackageMalformedError(what, "its manifest is not JSON", error);
  }
  if (typeof v !== "object" || v === null || v.format !== MANIFEST_FORMAT) {
    throw new PackageMalformedError(
      what,
      `manifest format ${String(v?.format)} is not ${MANIFEST_FORMAT}`,
    );
  }
  for (const key of ["id", "pkgname", "version", "arch", "platform", "recipe_sha256"]) {
    if (typeof v[key] !== "string" || v[key] === "") {
      throw new PackageMalformedError(what, `manifest has no ${key}`);
    }
  }
  if (!Array.isArray(v.files) || !Array.isArray(v.sources)) {
    throw new PackageMalformedError(what, "manifest has no files or sources list");
  }
  if (!Number.isSafeInteger(v.source_date_epoch)) {
    throw new PackageMalformedError(what, "manifest has no source_date_epoch");
  }
  return {
    ...(v as unknown as PackageManifest),
    files: v.files.map((f) => parseFile(what, f)),
  };
}

/** The manifest as written into the package: stable key order, one trailing newline. */
export function manifestText(manifest: PackageManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
