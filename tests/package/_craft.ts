/**
 * Test helpers: worker packages crafted member by member (the package tar
 * writer's headers, `zstd -q`), to feed the reader archives `build` never
 * writes: members missing, repeated, out of order, longer than the
 * manifest says, sparse, behind symlinks.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  type ManifestFile,
  manifestText,
  type PackageManifest,
} from "../../src/package/manifest.ts";
import { memberHeader, padding, TAR_END } from "../../src/package/tar_write.ts";

const encoder = new TextEncoder();

/** The sha256 of `bytes` in hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A file of the manifest for `content`. */
export function fileEntry(path: string, content: string | Uint8Array, mode = 0o644): ManifestFile {
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  return { path, type: "file", mode, size: bytes.length, sha256: sha256Hex(bytes) };
}

/** A manifest of `files` (worker `crafted`, x86_64). */
export function manifestOf(files: readonly ManifestFile[]): PackageManifest {
  return {
    format: MANIFEST_FORMAT,
    id: "crafted",
    pkgname: "crafted",
    version: "1.0-1",
    arch: "x86_64",
    platform: "linux",
    recipe_sha256: "0".repeat(64),
    sources: [],
    source_date_epoch: 1700000000,
    files,
  };
}

/** The bytes of a regular member `path` holding `data` (its header may claim `size`). */
export function fileMember(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
  size?: number,
): Uint8Array[] {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const header = memberHeader(
    { path, type: "file", mode, size: size ?? bytes.length },
    1700000000,
  );
  return [...header, bytes, padding(bytes.length)];
}

/** The bytes of a directory or symlink member. */
export function otherMember(path: string, type: "dir" | "symlink", mode = 0o755, target?: string) {
  return memberHeader({ path, type, mode, size: 0, ...(target ? { target } : {}) }, 1700000000);
}

/** A pax extended header (`x`) with `records` (key, value), for the member after it. */
export function paxMember(records: readonly [string, string][]): Uint8Array[] {
  const text = records.map(([k, v]) => {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len++;
    return `${len}${body}`;
  }).join("");
  const data = encoder.encode(text);
  const [header] = memberHeader({
    path: "PaxHeaders/x",
    type: "file",
    mode: 0o644,
    size: data.length,
  }, 0);
  header[156] = "x".charCodeAt(0);
  let sum = 0;
  header.fill(0x20, 148, 156);
  for (const b of header) sum += b;
  header.set(encoder.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return [header, data, padding(data.length)];
}

/** The metadata members every package starts with: `.PKGINFO` and the manifest. */
export function metadataMembers(manifest: PackageManifest): Uint8Array[] {
  return [
    ...fileMember(".PKGINFO", "pkgname = crafted\npkgver = 1.0-1\n"),
    ...fileMember(MANIFEST_NAME, manifestText(manifest)),
  ];
}

/** Writes the tar of `parts` (plus its end blocks), zstd-compressed, as `dir/name`; returns the path. */
export async function writeCrafted(
  dir: string,
  name: string,
  parts: readonly Uint8Array[],
): Promise<string> {
  const size = parts.reduce((n, p) => n + p.length, 0) + TAR_END.length;
  const tar = new Uint8Array(size);
  let at = 0;
  for (const p of [...parts, TAR_END]) {
    tar.set(p, at);
    at += p.length;
  }
  const child = new Deno.Command("zstd", {
    args: ["-q", "-c", "-3"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(tar);
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error("zstd failed");
  const path = join(dir, `${name}.pkg.tar.zst`);
  await Deno.writeFile(path, out.stdout);
  return path;
}
