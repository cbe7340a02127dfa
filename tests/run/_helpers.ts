/**
 * Test helpers of the runner tests: a tiny srcdir preparer (what makepkg
 * does for local sources), package tree snapshots, and the makepkg oracle
 * (at most two runs at a time).
 *
 * @module
 */

import { basename, join, resolve } from "node:path";
import { type Pkgbuild, valueAsArray } from "../../src/pkgbuild/model.ts";

/** Root of the repository. */
export const REPO = resolve(import.meta.dirname!, "../..");
/** The makepkg oracle script. */
export const ORACLE = join(REPO, "tests/oracle/makepkg-oracle");
/** The runner fixtures. */
export const FIXTURES = join(REPO, "fixtures/run");

/** Whether makepkg (and so the oracle) is installed. */
export function haveMakepkg(): boolean {
  try {
    return Deno.statSync("/usr/bin/makepkg").isFile;
  } catch {
    return false;
  }
}

/**
 * Prepares `srcdir` as makepkg does for local sources: each source of
 * `source` and `source_<carch>` is symlinked into it, and archives not listed
 * in `noextract` are extracted there with bsdtar (as the unprivileged
 * makepkg would: umask applied, no owners).
 */
export async function prepareSrcdir(startdir: string, srcdir: string, pkgbuild: Pkgbuild) {
  await Deno.mkdir(srcdir, { recursive: true });
  const v = pkgbuild.variables;
  const entries = [...valueAsArray(v.source), ...valueAsArray(v[`source_${pkgbuild.carch}`])];
  const noextract = valueAsArray(v.noextract);
  for (const entry of entries) {
    const [name, location] = entry.includes("::") ? entry.split("::", 2) : [basename(entry), entry];
    const link = join(srcdir, name);
    await Deno.symlink(join(startdir, basename(location)), link);
    if (noextract.includes(name) || !/\.(tar(\.\w+)?|tgz|zip)$/.test(name)) continue;
    const out = await new Deno.Command("bsdtar", {
      args: ["-xf", link, "--no-same-owner", "--no-same-permissions", "-C", srcdir],
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`bsdtar failed on ${name}: ${new TextDecoder().decode(out.stderr)}`);
    }
  }
}

/** One entry of a package tree snapshot. */
export interface TreeEntry {
  /** `file`, `dir` or `symlink`. */
  type: string;
  /** Permission bits (with fakeroot's owner bits added, see {@link snapshotTree}). */
  mode: string;
  /** Symlink target, or the file's content as a SHA-256 hex digest. */
  data?: string;
}

/** Files at a package root that makepkg writes itself; never compared. */
const METADATA = new Set([".PKGINFO", ".BUILDINFO", ".MTREE", ".INSTALL", ".CHANGELOG"]);

/**
 * Snapshots a package tree: relative path -> type, mode, link target or
 * content hash. makepkg's package() runs under fakeroot, whose chmod keeps
 * the owner's read/write bits (and rwx on directories) on the real file while
 * recording the asked mode in its database; `--noarchive` leaves the real
 * file, so modes are compared with those bits added on both sides.
 */
export async function snapshotTree(root: string): Promise<Record<string, TreeEntry>> {
  const out: Record<string, TreeEntry> = {};
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (rel === "" && METADATA.has(entry.name)) continue;
      const st = await Deno.lstat(path);
      const perm = st.mode! & 0o7777;
      if (st.isSymlink) {
        out[relPath] = { type: "symlink", mode: "-", data: await Deno.readLink(path) };
      } else if (st.isDirectory) {
        out[relPath] = { type: "dir", mode: (perm | 0o700).toString(8) };
        await walk(path, relPath);
      } else {
        const bytes = await Deno.readFile(path);
        const digest = await crypto.subtle.digest("SHA-256", bytes);
        const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(
          "",
        );
        out[relPath] = {
          type: st.isFile ? "file" : "other",
          mode: (perm | 0o600).toString(8),
          data: hex,
        };
      }
    }
  };
  await walk(root, "");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a < b ? -1 : 1));
}

let oracleSlots = 2;
const oracleWaiters: (() => void)[] = [];

/** Runs `fn` when fewer than two oracle runs are going on. */
export async function withOracleSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (oracleSlots === 0) await new Promise<void>((r) => oracleWaiters.push(r));
  else oracleSlots--;
  try {
    return await fn();
  } finally {
    const next = oracleWaiters.shift();
    if (next) next();
    else oracleSlots++;
  }
}

/** Output of one oracle run. */
export interface OracleOutcome {
  /** makepkg's exit status. */
  code: number;
  /** Its log. */
  log: string;
}

/** `makepkg-oracle build dir out` (queued: two at a time). */
export function oracleBuild(dir: string, out: string): Promise<OracleOutcome> {
  return withOracleSlot(async () => {
    // The oracle resolves OUT with `readlink -f`, so OUT must exist (or it writes to /).
    await Deno.mkdir(out, { recursive: true });
    const res = await new Deno.Command(ORACLE, {
      args: ["build", dir, out],
      stdout: "null",
      stderr: "null",
    })
      .output();
    const log = await Deno.readTextFile(join(out, "makepkg.log")).catch(() => "");
    return { code: res.code, log };
  });
}

/** `makepkg-oracle srcinfo dir` (queued: two at a time). */
export function oracleSrcinfo(dir: string): Promise<string> {
  return withOracleSlot(async () => {
    const res = await new Deno.Command(ORACLE, {
      args: ["srcinfo", dir],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    if (!res.success) {
      throw new Error(`oracle srcinfo failed: ${new TextDecoder().decode(res.stderr)}`);
    }
    return new TextDecoder().decode(res.stdout);
  });
}

/** Lists processes whose command line contains `marker`. */
export function processesWithMarker(marker: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      if (cmdline.includes(marker)) found.push(`${entry.name}: ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}
