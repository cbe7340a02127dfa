/**
 * Installing a binary package (`_package_install.ts`): the tree the reader
 * verified is moved into staging when the build directory is discarded
 * (copied when it is kept), staging takes the reader's digest of a file
 * whose stamp is unchanged and hashes any other, and its digests are checked
 * against the manifest, so a file swapped or rewritten in the build
 * directory between the read and the install is refused with nothing
 * installed.
 */

import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { join } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import { setStepHook } from "../../src/provision/_job.ts";
import { stagedAgainstManifest } from "../../src/provision/_package_install.ts";
import type { StagedEntry } from "../../src/provision/install.ts";
import { PackageCorruptError } from "../../src/package/errors.ts";
import { ExtractLimitError } from "../../src/source/errors.ts";
import {
  fileEntry,
  fileMember,
  manifestOf,
  metadataMembers,
  otherMember,
  sha256Hex,
  writeCrafted,
} from "../package/_craft.ts";

const work = await Deno.makeTempDir({ prefix: "wp-package-install-" });
const files = [
  { path: "opt", type: "dir" as const, mode: 0o755, size: 0 },
  { path: "opt/w", type: "dir" as const, mode: 0o755, size: 0 },
  fileEntry("opt/w/model.bin", "weights\n", 0o644),
  fileEntry("opt/w/worker", "#!/bin/sh\necho hi\n", 0o755),
];
const manifest = manifestOf(files);
const pkg = await writeCrafted(work, "crafted-1.0-1-x86_64", [
  ...metadataMembers(manifest),
  ...otherMember("opt", "dir"),
  ...otherMember("opt/w", "dir"),
  ...fileMember("opt/w/model.bin", "weights\n"),
  ...fileMember("opt/w/worker", "#!/bin/sh\necho hi\n", 0o755),
]);

/** The package trees under the build directory `buildDir` (one per install job). */
function readTrees(buildDir: string): string[] {
  return [...Deno.readDirSync(buildDir)]
    .filter((e) => e.name.startsWith("package"))
    .map((e) => join(buildDir, e.name, "pkg"));
}

function isFile(path: string): boolean {
  try {
    return Deno.lstatSync(path).isFile;
  } catch {
    return false;
  }
}

function provisioner(tag: string, keepBuildDir = false) {
  return new WorkerProvisioner({
    root: join(work, tag, "root"),
    cacheDir: join(work, tag, "cache"),
    buildDir: join(work, tag, "build"),
    arch: "x86_64",
    keepBuildDir,
  });
}

Deno.test("install of a package moves the tree it read into staging, and copies it when the build directory is kept", async () => {
  for (const keep of [false, true]) {
    const tag = keep ? "kept" : "moved";
    const p = provisioner(tag, keep);
    const left: boolean[] = [];
    setStepHook(p, (point) => {
      if (point !== "install") return;
      for (const tree of readTrees(join(work, tag, "build"))) {
        left.push(
          Deno.lstatSync(join(tree, "opt/w")).isDirectory && isFile(join(tree, "opt/w/model.bin")),
        );
      }
    });
    const worker = await p.provision(pkg);
    assertEquals(worker.id, "crafted");
    assertEquals(await Deno.readTextFile(join(work, tag, "root/opt/w/model.bin")), "weights\n");
    assert((await p.verify("crafted")).ok);
    assertEquals(left, [keep], `${tag}: the tree's file is still there after staging`);
  }
});

/** Ways to change `path` in the build directory after the read: each must be refused at staging. */
const changes: Record<string, (path: string) => void> = {
  "swapped (another inode, same size)": (path) => {
    Deno.writeTextFileSync(`${path}.new`, "planted\n");
    Deno.renameSync(`${path}.new`, path);
  },
  "rewritten in place with another size": (path) => Deno.writeTextFileSync(path, "planted!\n"),
  "rewritten in place, same size, later mtime": (path) => {
    const mtime = Deno.statSync(path).mtime!;
    Deno.writeTextFileSync(path, "planted\n");
    // a rewrite within the same millisecond as the read keeps the stamp (the accepted limit)
    Deno.utimeSync(path, mtime, new Date(mtime.getTime() + 1000));
  },
};

for (const [how, change] of Object.entries(changes)) {
  Deno.test(`a file ${how} in the build directory after the package was read is refused at staging; nothing is installed`, async () => {
    const tag = how.replace(/[^a-z]+/g, "-");
    const p = provisioner(tag);
    const inodes: [number | null, number | null][] = [];
    setStepHook(p, (point) => {
      if (point !== "stage") return;
      for (const tree of readTrees(join(work, tag, "build"))) {
        const path = join(tree, "opt/w/model.bin");
        const before = Deno.lstatSync(path).ino;
        change(path);
        inodes.push([before, Deno.lstatSync(path).ino]);
      }
    });
    const error = await assertRejects(() => p.provision(pkg), PackageCorruptError);
    assert(error.message.includes("changed after the package was read"), error.message);
    assertEquals(inodes.length, 1);
    assertEquals(inodes[0][0] === inodes[0][1], how.includes("in place"), "inode kept in place");
    assertEquals(await p.list(), []);
    assertEquals(await Deno.lstat(join(work, tag, "root/opt")).catch(() => null), null);
  });
}

Deno.test("install of a package takes the reader's digests, not hashing again: a rewrite that keeps the stamp (size, mtime put back, same inode) goes unseen", async () => {
  const p = provisioner("stamp-kept");
  setStepHook(p, (point) => {
    if (point !== "stage") return;
    for (const tree of readTrees(join(work, "stamp-kept", "build"))) {
      const path = join(tree, "opt/w/model.bin");
      const { atime, mtime } = Deno.statSync(path);
      Deno.writeTextFileSync(path, "planted\n"); // same size, in place
      Deno.utimeSync(path, atime!, mtime!); // the stamp's documented limit: a file put back unseen
    }
  });
  await p.provision(pkg);
  assertEquals(await Deno.readTextFile(join(work, "stamp-kept/root/opt/w/model.bin")), "planted\n");
});

Deno.test("the provisioner's extraction limits apply to a package it installs", async () => {
  const p = new WorkerProvisioner({
    root: join(work, "limited", "root"),
    cacheDir: join(work, "limited", "cache"),
    arch: "x86_64",
    extractLimits: { maxEntries: 3 },
  });
  const error = await assertRejects(() => p.provision(pkg), ExtractLimitError);
  assertEquals(error.limit, "entries");
  assertEquals(await p.list(), []);
});

Deno.test("stagedAgainstManifest() accepts the manifest's files and refuses one missing, one more, or another mode", () => {
  const layout = { root: "/r", stateDir: "/r/var/lib/wp", cacheDir: "/c" };
  const check = stagedAgainstManifest({ path: "x.pkg.tar.zst", manifest }, layout);
  const staged = (f: (typeof files)[number]): StagedEntry =>
    f.type === "dir"
      ? { dest: `/r/${f.path}`, type: "dir", mode: f.mode, size: 0 }
      : { dest: `/r/${f.path}`, type: "file", mode: f.mode, size: f.size, sha256: f.sha256! };
  const all = files.map(staged);
  check(all);
  assertThrows(() => check(all.slice(0, 3)), PackageCorruptError, "vanished");
  const extra: StagedEntry = { ...all[2], dest: "/r/opt/w/extra", sha256: sha256Hex("x") };
  assertThrows(() => check([...all, extra]), PackageCorruptError, "/r/opt/w/extra changed");
  assertThrows(
    () => check([...all.slice(0, 3), { ...all[3], mode: 0o4755 }]),
    PackageCorruptError,
    "/r/opt/w/worker changed",
  );
});

Deno.test("the package install work directory is removed", async () => {
  await Deno.remove(work, { recursive: true });
});
