/**
 * Writes a binary worker package: a `.pkg.tar.zst` pacman accepts
 * (`.BUILDINFO`, `.MTREE`, `.PKGINFO` first, as makepkg sorts them) plus our
 * manifest (`.WORKER.json`), then the package tree. Reproducible: entries
 * sorted by path, every mtime SOURCE_DATE_EPOCH, owners 0/0 (`root`), and
 * zstd at a fixed level on one thread, so the same tree and metadata give
 * the same bytes.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { PackageWriteError } from "./errors.ts";
import {
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  type ManifestFile,
  manifestText,
  type PackageManifest,
} from "./manifest.ts";
import {
  buildinfoText,
  type MtreeEntry,
  mtreeGzip,
  mtreeText,
  type PackageInfo,
  pkginfoText,
} from "./metadata.ts";
import { memberHeader, padding, TAR_END, type TarMember } from "./tar_write.ts";

/** What {@link writePackage} needs besides the tree. */
export interface WritePackageOptions {
  /** The package tree (makepkg's `$pkgdir`, tidied). */
  readonly tree: string;
  /** Directory the `.pkg.tar.zst` is written into (created when missing). */
  readonly outputDir: string;
  /** The manifest's build facts (everything but `files` and `format`). */
  readonly manifest: Omit<PackageManifest, "files" | "format">;
  /** `.PKGINFO`/`.BUILDINFO` fields (size and builddate are filled in). */
  readonly info: Omit<PackageInfo, "size" | "builddate">;
  /** zstd level. @default 3 (makepkg's `COMPRESSZST`) */
  readonly compressionLevel?: number;
  /** The zstd program. @default "zstd" */
  readonly zstd?: string;
}

/** A package written. */
export interface WrittenPackage {
  /** The `.pkg.tar.zst` file. */
  readonly path: string;
  /** Its file name: `<pkgname>-<version>-<arch>.pkg.tar.zst`. */
  readonly fileName: string;
  /** sha256 of the file. */
  readonly sha256: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its manifest. */
  readonly manifest: PackageManifest;
}

/** A tree entry with both digests. */
interface Scanned extends MtreeEntry {
  /** Absolute path. */
  readonly abs: string;
}

/** Every path of `tree`, sorted by path (C collation), hashed. */
async function scanTree(tree: string, prefix = ""): Promise<Scanned[]> {
  const out: Scanned[] = [];
  const names: string[] = [];
  for await (const e of Deno.readDir(prefix ? join(tree, prefix) : tree)) names.push(e.name);
  for (const name of names) {
    const path = prefix ? `${prefix}/${name}` : name;
    const abs = join(tree, path);
    const info = await Deno.lstat(abs);
    const mode = (info.mode ?? 0) & 0o7777;
    if (info.isDirectory) {
      out.push({ path, abs, type: "dir", mode, size: 0 });
      out.push(...await scanTree(tree, path));
    } else if (info.isSymlink) {
      out.push({
        path,
        abs,
        type: "symlink",
        mode: 0o777,
        size: 0,
        target: await Deno.readLink(abs),
      });
    } else if (info.isFile) {
      const [sha256, md5] = await digestsOf(abs);
      out.push({ path, abs, type: "file", mode, size: info.size, sha256, md5 });
    } else {
      throw new PackageWriteError(tree, `${path} is not a file, directory or symlink`);
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** sha256 and md5 of a file. */
async function digestsOf(path: string): Promise<[string, string]> {
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  using f = await Deno.open(path, { read: true });
  const buf = new Uint8Array(256 * 1024);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    sha.update(buf.subarray(0, n));
    md5.update(buf.subarray(0, n));
  }
  return [sha.digest("hex"), md5.digest("hex")];
}

/** An in-memory metadata file as a scanned entry. */
function memoryEntry(path: string, bytes: Uint8Array): Scanned {
  return {
    path,
    abs: "",
    type: "file",
    mode: 0o644,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    md5: createHash("md5").update(bytes).digest("hex"),
  };
}

/** Writes the package for `options.tree` into `options.outputDir`. */
export async function writePackage(options: WritePackageOptions): Promise<WrittenPackage> {
  const epoch = options.manifest.source_date_epoch;
  const entries = await scanTree(options.tree);
  const files: ManifestFile[] = entries.map(({ abs: _a, md5: _m, ...f }) => f);
  const manifest: PackageManifest = { format: MANIFEST_FORMAT, ...options.manifest, files };
  const size = entries.reduce((n, e) => n + (e.type === "file" ? e.size : 0), 0);
  const info: PackageInfo = { ...options.info, size, builddate: epoch };
  const enc = new TextEncoder();
  const meta = new Map<string, Uint8Array>([
    [".BUILDINFO", enc.encode(buildinfoText(info))],
    [".PKGINFO", enc.encode(pkginfoText(info))],
    [MANIFEST_NAME, enc.encode(manifestText(manifest))],
  ]);
  const mtreeEntries = [
    memoryEntry(".BUILDINFO", meta.get(".BUILDINFO")!),
    memoryEntry(".PKGINFO", meta.get(".PKGINFO")!),
    ...entries,
  ];
  meta.set(".MTREE", mtreeGzip(mtreeText(mtreeEntries, epoch)));
  const fileName = `${info.pkgname}-${info.version}-${info.arch}.pkg.tar.zst`;
  await Deno.mkdir(options.outputDir, { recursive: true });
  const path = join(options.outputDir, fileName);
  const tmp = join(options.outputDir, `.${fileName}.${crypto.randomUUID().slice(0, 8)}.part`);
  try {
    const { sha256, size: written } = await compressTo(
      tmp,
      tarChunks(meta, entries, epoch),
      options,
    );
    await Deno.rename(tmp, path);
    return { path, fileName, sha256, size: written, manifest };
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    if (error instanceof PackageWriteError) throw error;
    throw new PackageWriteError(
      path,
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
}

/** The tar stream: metadata files (sorted), then the tree. */
async function* tarChunks(
  meta: ReadonlyMap<string, Uint8Array>,
  entries: readonly Scanned[],
  epoch: number,
): AsyncGenerator<Uint8Array> {
  for (const name of [...meta.keys()].sort()) {
    const data = meta.get(name)!;
    yield* memberHeader({ path: name, type: "file", mode: 0o644, size: data.length }, epoch);
    yield data;
    yield padding(data.length);
  }
  for (const e of entries) {
    const member: TarMember = e;
    yield* memberHeader(member, epoch);
    if (e.type !== "file") continue;
    using f = await Deno.open(e.abs, { read: true });
    let left = e.size;
    const buf = new Uint8Array(1024 * 1024);
    while (left > 0) {
      const n = await f.read(buf.subarray(0, Math.min(buf.length, left)));
      if (n === null) throw new PackageWriteError(e.abs, "the file shrank while it was packaged");
      left -= n;
      yield buf.slice(0, n);
    }
    yield padding(e.size);
  }
  yield TAR_END;
}

/** Pipes `chunks` through `zstd` into `dest`, hashing what is written. */
async function compressTo(
  dest: string,
  chunks: AsyncGenerator<Uint8Array>,
  options: WritePackageOptions,
): Promise<{ sha256: string; size: number }> {
  const level = options.compressionLevel ?? 3;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(options.zstd ?? "zstd", {
      args: ["-q", "-c", "-T1", `-${level}`, ...(level > 19 ? ["--ultra"] : []), "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
      env: { LC_ALL: "C" },
    }).spawn();
  } catch (error) {
    throw new PackageWriteError(
      dest,
      `zstd could not be started: ${(error as Error).message}`,
      error,
    );
  }
  const hash = createHash("sha256");
  let size = 0;
  const feed = (async () => {
    const writer = child.stdin.getWriter();
    try {
      for await (const c of chunks) await writer.write(c);
    } finally {
      await writer.close().catch(() => {});
    }
  })();
  const drain = (async () => {
    using out = await Deno.open(dest, { write: true, createNew: true, mode: 0o644 });
    for await (const c of child.stdout) {
      hash.update(c);
      size += c.length;
      for (let at = 0; at < c.length;) at += await out.write(c.subarray(at));
    }
    await out.sync();
  })();
  const errText = new Response(child.stderr).text();
  const [fed, drained, status] = await Promise.allSettled([feed, drain, child.status]);
  if (fed.status === "rejected") throw fed.reason;
  if (drained.status === "rejected") throw drained.reason;
  if (status.status === "rejected" || !status.value.success) {
    throw new PackageWriteError(dest, `zstd failed: ${(await errText).trim()}`);
  }
  return { sha256: hash.digest("hex"), size };
}
