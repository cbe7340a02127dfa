/**
 * Which sources carry signatures, from names alone (no OpenPGP code loaded,
 * so a recipe without signatures never loads it): makepkg's
 * `source_has_signatures` and the names a signature file may cover.
 *
 * @module
 */

import type { PlannedSource } from "../source/plan.ts";

/** The signature extensions makepkg recognizes (`*.@(sig?(n)|asc)`). */
export const SIGNATURE_EXTENSIONS: readonly string[] = [".sig", ".sign", ".asc"];

/** Compressed forms makepkg tries after the bare name, in its order, with their format. */
const COMPRESSED: readonly (readonly [string, string | undefined])[] = [
  ["", undefined],
  ["gz", "gzip"],
  ["bz2", "bzip2"],
  ["xz", "xz"],
  ["lrz", "lrzip"],
  ["lzo", "lzop"],
  ["Z", "compress"],
  ["zst", "zstd"],
];

/** Whether `name` is a signature file name. */
export function isSignatureName(name: string): boolean {
  return SIGNATURE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/** Whether a source is checked: a signature file, or a `?signed` git source (`source_has_signatures`). */
export function isSignedSource(source: PlannedSource): boolean {
  const { entry } = source;
  if (entry.protocol === "git") return entry.query === "signed";
  return isSignatureName(entry.name);
}

/** The names a signature `sigName` may cover, in makepkg's order, with their compression format. */
export function signedFileCandidates(sigName: string): { name: string; format?: string }[] {
  const base = sigName.slice(0, sigName.lastIndexOf("."));
  return COMPRESSED.map(([ext, format]) => ({
    name: ext ? `${base}.${ext}` : base,
    ...(format ? { format } : {}),
  }));
}
