/**
 * The package reader at the trust boundary: what it writes (every mode
 * exact, whatever the umask; contents, symlinks, empty files; each file's
 * digest and stamp as written, for staging) and every
 * crafted archive it refuses, each with nothing written outside the
 * destination and, where the check comes before the data, not even the
 * member itself.
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { readPackage, readPackageManifest } from "../../src/package/read.ts";
import { PackageCorruptError, PackageMalformedError } from "../../src/package/errors.ts";
import { CancelledError } from "../../src/errors.ts";
import { ExtractLimitError } from "../../src/source/errors.ts";
import type { ManifestFile } from "../../src/package/manifest.ts";
import {
  fileEntry,
  fileMember,
  manifestOf,
  metadataMembers,
  otherMember,
  paxMember,
  writeCrafted,
} from "./_craft.ts";

const work = await Deno.makeTempDir({ prefix: "wp-package-read-" });
let serial = 0;

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const dir = (path: string, mode = 0o755): ManifestFile => ({ path, type: "dir", mode, size: 0 });
const link = (path: string, target: string): ManifestFile => ({
  path,
  type: "symlink",
  mode: 0o777,
  size: 0,
  target,
});

Deno.test("readPackage() gives every file, directory and symlink its manifest mode and content, the umask notwithstanding", async () => {
  const big = new Uint8Array(3 << 20).map((_, i) => (i * 7919) & 0xff);
  const files = [
    dir("opt", 0o755),
    dir("opt/w", 0o2750),
    fileEntry("opt/w/empty", "", 0o644),
    fileEntry("opt/w/group-writable", "g+w\n", 0o664),
    fileEntry("opt/w/lib.so", big, 0o755),
    fileEntry("opt/w/read-only", "ro\n", 0o444),
    fileEntry("opt/w/setuid", "#!/bin/sh\n", 0o4755),
    link("opt/w/to-lib", "lib.so"),
    dir("opt/w/x", 0o555),
    fileEntry("opt/w/x/inside", "in a read-only directory\n", 0o600),
  ];
  const m = manifestOf(files);
  const pkg = await writeCrafted(work, "modes", [
    ...metadataMembers(m),
    ...otherMember("opt", "dir", 0o755),
    ...otherMember("opt/w", "dir", 0o2750),
    ...fileMember("opt/w/empty", "", 0o644),
    ...fileMember("opt/w/group-writable", "g+w\n", 0o664),
    ...fileMember("opt/w/lib.so", big, 0o755),
    ...fileMember("opt/w/read-only", "ro\n", 0o444),
    ...fileMember("opt/w/setuid", "#!/bin/sh\n", 0o4755),
    ...otherMember("opt/w/to-lib", "symlink", 0o777, "lib.so"),
    ...otherMember("opt/w/x", "dir", 0o555),
    ...fileMember("opt/w/x/inside", "in a read-only directory\n", 0o600),
  ]);
  const dest = join(work, "modes-tree");
  const previous = Deno.umask(0o027); // clears bits the manifest asks for (g+w, o+rx)
  let written;
  try {
    const got = await readPackage(pkg, dest);
    assertEquals(got.manifest, m);
    assert(got.pkginfo.startsWith("pkgname = crafted\n"));
    written = got.files;
  } finally {
    Deno.umask(previous);
  }
  assertEquals(
    [...written.keys()].sort(),
    files.filter((f) => f.type === "file").map((f) => f.path),
  );
  for (const f of files) {
    const info = await Deno.lstat(join(dest, f.path));
    if (f.type === "symlink") {
      assertEquals(await Deno.readLink(join(dest, f.path)), f.target);
      continue;
    }
    assertEquals((info.mode! & 0o7777).toString(8), f.mode.toString(8), f.path);
    if (f.type !== "file") continue;
    assertEquals(info.size, f.size, f.path);
    // its digest and its stamp as written (mode once chmodded past the umask), as staging checks
    const stamp = { ino: info.ino, size: info.size, mtimeMs: info.mtime!.getTime(), mode: f.mode };
    assertEquals(written.get(f.path), { sha256: f.sha256!, stamp }, f.path);
  }
  assertEquals(await Deno.readFile(join(dest, "opt/w/lib.so")), big);
  assertEquals(await Deno.readTextFile(join(dest, "opt/w/x/inside")), "in a read-only directory\n");
  await Deno.chmod(join(dest, "opt/w/x"), 0o755); // so the work directory can be removed
});

/** One crafted archive the reader must refuse. */
interface Refused {
  readonly name: string;
  readonly files: readonly ManifestFile[];
  readonly members: () => Uint8Array[];
  readonly error: typeof PackageCorruptError | typeof PackageMalformedError;
  readonly message: string;
  /** A path under the destination that must not exist afterwards. */
  readonly absent?: string;
}

const outside = join(work, "outside");

const REFUSED: Refused[] = [
  {
    name: "a member the manifest does not list, climbing out with ..",
    files: [fileEntry("a", "a")],
    members: () => [...fileMember("a", "a"), ...fileMember("../outside/escaped", "x")],
    error: PackageCorruptError,
    message: "../outside/escaped is not in the manifest",
  },
  {
    name: "a file behind a symlink the archive made",
    files: [link("lib", outside), fileEntry("lib/planted", "x")],
    members:
      () => [...otherMember("lib", "symlink", 0o777, outside), ...fileMember("lib/planted", "x")],
    error: PackageCorruptError,
    message: "lib/planted lies behind the symlink lib",
  },
  {
    name: "a member longer than its manifest size (refused before it is created)",
    files: [fileEntry("big", "12345")],
    members: () => [...fileMember("big", "1234567890")],
    error: PackageCorruptError,
    message: "big holds 10 bytes, the manifest says 5",
    absent: "big",
  },
  {
    name: "a sparse member",
    files: [fileEntry("holes", "hello\0\0\0")],
    members: () => [
      ...paxMember([["GNU.sparse.map", "0,5"], ["GNU.sparse.size", "8"]]),
      ...fileMember("holes", "hello"),
    ],
    error: PackageCorruptError,
    message: "holes holds 8 bytes as a sparse file",
    absent: "holes",
  },
  {
    name: "a second manifest after the first",
    files: [fileEntry("a", "a")],
    members: () => [...metadataMembers(manifestOf([fileEntry("a", "a")])).slice(3)],
    error: PackageCorruptError,
    message: ".WORKER.json appears twice",
  },
  {
    name: "a member twice",
    files: [fileEntry("a", "a")],
    members: () => [...fileMember("a", "a"), ...fileMember("a", "a")],
    error: PackageCorruptError,
    message: "a appears twice",
  },
  {
    name: "a mode other than the manifest's",
    files: [fileEntry("bin", "x", 0o755)],
    members: () => [...fileMember("bin", "x", 0o4755)],
    error: PackageCorruptError,
    message: "bin has mode 4755, the manifest says 755",
    absent: "bin",
  },
  {
    name: "a file where the manifest has a directory",
    files: [dir("d")],
    members: () => [...fileMember("d", "")],
    error: PackageCorruptError,
    message: "d is a file, the manifest says dir",
  },
  {
    name: "a symlink pointing elsewhere than the manifest says",
    files: [link("l", "target")],
    members: () => [...otherMember("l", "symlink", 0o777, "/etc/shadow")],
    error: PackageCorruptError,
    message: "l points at /etc/shadow, the manifest says target",
    absent: "l",
  },
  {
    name: "a file the manifest lists but the archive lacks",
    files: [fileEntry("a", "a"), fileEntry("b", "b")],
    members: () => [...fileMember("a", "a")],
    error: PackageCorruptError,
    message: "b is missing from the archive",
  },
  {
    name: "the same size with other bytes",
    files: [fileEntry("a", "good")],
    members: () => [...fileMember("a", "evil")],
    error: PackageCorruptError,
    message: "a: expected sha256",
  },
];

for (const c of REFUSED) {
  Deno.test(`readPackage() refuses ${c.name}`, async () => {
    const m = manifestOf(c.files);
    const pkg = await writeCrafted(work, `refused-${serial++}`, [
      ...metadataMembers(m),
      ...c.members(),
    ]);
    const dest = join(work, `refused-tree-${serial}`);
    const error = await assertRejects(() => readPackage(pkg, dest), c.error);
    assert(error.message.includes(c.message), error.message);
    assertEquals(await exists(outside), false);
    if (c.absent) assertEquals(await exists(join(dest, c.absent)), false);
  });
}

Deno.test("readPackage() refuses a tree member before the manifest, a package without .PKGINFO and a manifest path with ..", async () => {
  const m = manifestOf([fileEntry("a", "a")]);
  const [pkginfo, manifest] = [metadataMembers(m).slice(0, 3), metadataMembers(m).slice(3)];
  const early = await writeCrafted(work, "early", [...fileMember("a", "a"), ...manifest]);
  const e1 = await assertRejects(
    () => readPackage(early, join(work, "early-tree")),
    PackageMalformedError,
  );
  assert(e1.message.includes("a comes before the manifest"), e1.message);
  const bare = await writeCrafted(work, "bare", [...manifest, ...fileMember("a", "a")]);
  const e2 = await assertRejects(
    () => readPackage(bare, join(work, "bare-tree")),
    PackageMalformedError,
  );
  assert(e2.message.includes("it has no .PKGINFO"), e2.message);
  const climbing = manifestOf([fileEntry("../x", "x")]);
  const bad = await writeCrafted(work, "climbing", [...metadataMembers(climbing), ...pkginfo]);
  const e3 = await assertRejects(
    () => readPackage(bad, join(work, "climb-tree")),
    PackageMalformedError,
  );
  assert(e3.message.includes("invalid path"), e3.message);
  assertEquals((await readPackageManifest(bare)).files, m.files);
});

Deno.test("readPackage() stops with CancelledError when its signal is aborted, and checks the file digest before reading it", async () => {
  const m = manifestOf([fileEntry("a", "a")]);
  const pkg = await writeCrafted(work, "cancel", [...metadataMembers(m), ...fileMember("a", "a")]);
  const controller = new AbortController();
  controller.abort();
  await assertRejects(
    () => readPackage(pkg, join(work, "cancel-tree"), { signal: controller.signal }),
    CancelledError,
  );
  const e = await assertRejects(
    () => readPackage(pkg, join(work, "digest-tree"), { sha256: "f".repeat(64) }),
    PackageCorruptError,
  );
  assert(e.message.includes(`expected sha256 ${"f".repeat(64)}`), e.message);
  assertEquals(await exists(join(work, "digest-tree")), false);
});

Deno.test("readPackage() of a package cut short in the middle of a file fails as malformed and leaves no file open", async () => {
  const noise = crypto.getRandomValues(new Uint8Array(1 << 16));
  const big = new Uint8Array(4 << 20).map((_, i) => noise[i & 0xffff] ^ (i >> 16));
  const m = manifestOf([fileEntry("big", big)]);
  const pkg = await writeCrafted(work, "cut", [...metadataMembers(m), ...fileMember("big", big)]);
  const bytes = await Deno.readFile(pkg);
  await Deno.writeFile(pkg, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const dest = join(work, "cut-tree");
  await assertRejects(() => readPackage(pkg, dest), PackageMalformedError);
  const partial = await Deno.stat(join(dest, "big"));
  assert(partial.size > 0 && partial.size < big.length, String(partial.size));
  assertEquals(openFilesUnder(dest), []);
});

/** The files under `dir` this process holds open (from `/proc/self/fd`). */
function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of Deno.readDirSync("/proc/self/fd")) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${fd.name}`);
      if (target.startsWith(`${dir}/`)) open.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

Deno.test("readPackage() stops a decompression bomb at the extraction limits, before it is written out", async () => {
  const zeros = new Uint8Array(4 << 20);
  const m = manifestOf([fileEntry("zeros", zeros), fileEntry("a", "a"), fileEntry("b", "b")]);
  const pkg = await writeCrafted(work, "bomb", [
    ...metadataMembers(m),
    ...fileMember("zeros", zeros),
    ...fileMember("a", "a"),
    ...fileMember("b", "b"),
  ]);
  const ratio = await assertRejects(
    () => readPackage(pkg, join(work, "bomb-ratio"), { limits: { ratioAfterBytes: 1 << 20 } }),
    ExtractLimitError,
  );
  assertEquals(ratio.limit, "ratio");
  assert((await Deno.stat(join(work, "bomb-ratio/zeros"))).size < zeros.length);
  const bytes = await assertRejects(
    () => readPackage(pkg, join(work, "bomb-bytes"), { limits: { maxBytes: 1 << 20 } }),
    ExtractLimitError,
  );
  assertEquals(bytes.limit, "bytes");
  const entries = await assertRejects(
    () => readPackage(pkg, join(work, "bomb-entries"), { limits: { maxEntries: 4 } }),
    ExtractLimitError,
  );
  assertEquals(entries.limit, "entries");
  assertEquals(await exists(join(work, "bomb-entries/b")), false);
  const read = await readPackage(pkg, join(work, "bomb-allowed"), { limits: { maxRatio: 1e6 } });
  assertEquals(read.manifest.files.length, 3);
});

Deno.test("the package read work directory is removed", async () => {
  await Deno.remove(work, { recursive: true });
});
