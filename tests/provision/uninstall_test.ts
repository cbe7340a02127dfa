import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { installTrees } from "../../src/provision/install.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { uninstallRecord } from "../../src/provision/uninstall.ts";
import { makeTree, outsideState, snapshot, type TreeSpec, withTempDir } from "./_helpers.ts";

async function installHello(dir: string, root: string) {
  const tree = join(dir, "tree");
  await makeTree(tree, {
    "usr/local/bin/hello": { content: "#!/bin/sh\necho hi\n", mode: 0o755 },
    "usr/local/share/hello/a.txt": "a\n",
    "usr/local/share/hello/b.txt": "b\n",
    "usr/local/lib/libhello.so": { link: "libhello.so.1" },
  });
  return await installTrees({
    layout: { root, stateDir: systemStateDir(root), cacheDir: join(dir, "cache") },
    trees: [{ name: "hello", dir: tree }],
    metadata: { id: "hello", version: "1-1", arch: "x86_64", platform: "linux", origin: "test" },
  });
}

Deno.test("uninstallRecord() removes exactly the recorded files and the directories the install created", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await makeTree(root, { "usr/local/bin/theirs": "not ours\n", "etc/keep.conf": "x\n" });
    const before = outsideState(await snapshot(root), "var");
    const record = await installHello(dir, root);
    const result = await uninstallRecord(systemStateDir(root), record);
    assertEquals(result.kept, []);
    assert(result.removed.includes(join(root, "usr/local/share/hello")));
    assertEquals(outsideState(await snapshot(root), "var"), before);
    assertEquals(await readRecord(systemStateDir(root), "hello"), null);
  });
});

Deno.test("uninstallRecord() keeps a modified file as .pacsave unless forced, so a reinstall is not blocked", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const record = await installHello(dir, root);
    const file = join(root, "usr/local/share/hello/a.txt");
    await Deno.writeTextFile(file, "edited by the admin\n");
    const result = await uninstallRecord(systemStateDir(root), record);
    assertEquals(result.kept.map((k) => [k.path, k.kind]), [[file, "modified"]]);
    assertEquals(result.saved, [{ path: file, savedAs: `${file}.pacsave` }]);
    assertEquals(await Deno.readTextFile(`${file}.pacsave`), "edited by the admin\n");
    assertEquals(await Deno.lstat(file).catch(() => null), null, "the path is free again");
    assertEquals(outsideState(await snapshot(root), "var"), [
      "usr dir 755",
      "usr/local dir 755",
      "usr/local/share dir 755",
      "usr/local/share/hello dir 755",
      (await snapshot(root)).find((l) => l.startsWith("usr/local/share/hello/a.txt.pacsave"))!,
    ]);
    // The same worker installs again over the freed path; a second save does not clobber the first.
    await Deno.remove(join(dir, "tree"), { recursive: true });
    const again = await installHello(dir, root);
    await Deno.writeTextFile(file, "edited again\n");
    const second = await uninstallRecord(systemStateDir(root), again);
    assertEquals(second.saved, [{ path: file, savedAs: `${file}.pacsave.1` }]);
    assertEquals(await Deno.readTextFile(`${file}.pacsave`), "edited by the admin\n");
  });
});

Deno.test("uninstallRecord() with force removes modified files too, leaving an empty root", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const record = await installHello(dir, root);
    await Deno.writeTextFile(join(root, "usr/local/share/hello/a.txt"), "edited\n");
    await Deno.remove(join(root, "usr/local/share/hello/b.txt")); // already gone: fine
    const result = await uninstallRecord(systemStateDir(root), record, { force: true });
    assertEquals(result.kept, []);
    assertEquals(outsideState(await snapshot(root, systemStateDir(root)), "var"), []);
  });
});

const STATE = "var/lib/worker-provisioner";

async function installWorker(dir: string, root: string, id: string, spec: TreeSpec) {
  const tree = join(dir, `tree-${id}-${crypto.randomUUID()}`);
  await makeTree(tree, spec);
  return await installTrees({
    layout: { root, stateDir: systemStateDir(root), cacheDir: join(dir, "cache") },
    trees: [{ name: id, dir: tree }],
    metadata: { id, version: "1-1", arch: "x86_64", platform: "linux", origin: "test" },
  });
}

/** Every path under `root`, relative, sorted. */
async function pathsUnder(root: string): Promise<string[]> {
  return (await snapshot(root)).map((l) => l.split(" ")[0]);
}

const WORKER_A: TreeSpec = {
  "usr/local/bin/a": { content: "#!/bin/sh\necho a\n", mode: 0o755 },
  "usr/local/share/a/data.txt": "a\n",
};
const WORKER_B: TreeSpec = { "usr/local/bin/b": { content: "#!/bin/sh\necho b\n", mode: 0o755 } };

Deno.test("uninstallRecord() keeps a directory another worker uses and removes it with the last one, leaving only the state directory", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const state = systemStateDir(root);
    const a = await installWorker(dir, root, "a", WORKER_A);
    const b = await installWorker(dir, root, "b", WORKER_B);
    assert(b.createdDirs.includes(join(root, "usr/local/bin")), "b inherits the made mark");
    const first = await uninstallRecord(state, a);
    assert(first.removed.includes(join(root, "usr/local/share")), first.removed.join("\n"));
    assert(!first.removed.includes(join(root, "usr/local/bin")));
    assertEquals(outsideState(await snapshot(root, state), "var"), [
      "usr dir 755",
      "usr/local dir 755",
      "usr/local/bin dir 755",
      (await snapshot(root)).find((l) => l.startsWith("usr/local/bin/b "))!,
    ]);
    const second = await uninstallRecord(state, (await readRecord(state, "b"))!);
    assert(second.removed.includes(join(root, "usr")), second.removed.join("\n"));
    assertEquals(await pathsUnder(root), ["var", "var/lib", STATE]);
  });
});

Deno.test("uninstallRecord() removes the shared directories whichever worker goes first", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const state = systemStateDir(root);
    const a = await installWorker(dir, root, "a", WORKER_A);
    const b = await installWorker(dir, root, "b", WORKER_B);
    await uninstallRecord(state, b);
    assert((await Deno.lstat(join(root, "usr/local/bin"))).isDirectory);
    await uninstallRecord(state, a);
    assertEquals(await pathsUnder(root), ["var", "var/lib", STATE]);
  });
});

Deno.test("uninstallRecord() keeps directories that existed before any install, as pacman keeps those of the filesystem package", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const state = systemStateDir(root);
    await makeTree(root, { "usr/local/bin": { dir: 0o775 } });
    const before = await snapshot(root);
    await uninstallRecord(state, await installWorker(dir, root, "a", WORKER_A));
    await uninstallRecord(state, await installWorker(dir, root, "b", WORKER_B));
    assertEquals(outsideState(await snapshot(root), "var"), before);
  });
});

Deno.test("uninstallRecord() of an older record without directory entries removes its files and the directories it lists as created", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const state = systemStateDir(root);
    await installWorker(dir, root, "a", WORKER_A);
    const path = join(state, "workers/a/record.json");
    const stored = JSON.parse(await Deno.readTextFile(path));
    stored.files = stored.files.filter((f: { type: string }) => f.type !== "dir");
    await Deno.writeTextFile(path, JSON.stringify(stored));
    const result = await uninstallRecord(state, (await readRecord(state, "a"))!);
    assertEquals(result.kept, []);
    assertEquals(await pathsUnder(root), ["var", "var/lib", STATE]);
  });
});

Deno.test("uninstallRecord() of a hand-written record without createdDirs removes its files and keeps every directory", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const state = systemStateDir(root);
    await installWorker(dir, root, "a", WORKER_A);
    const path = join(state, "workers/a/record.json");
    const stored = JSON.parse(await Deno.readTextFile(path));
    delete stored.createdDirs;
    await Deno.writeTextFile(path, JSON.stringify(stored));
    await uninstallRecord(state, (await readRecord(state, "a"))!);
    assertEquals(outsideState(await pathsUnder(root), "var"), [
      "usr",
      "usr/local",
      "usr/local/bin",
      "usr/local/share",
      "usr/local/share/a",
    ]);
  });
});

Deno.test("installTrees() upgrade removes directories no longer shipped, except one another worker lists", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await installWorker(dir, root, "a", {
      ...WORKER_A,
      "usr/local/share/common/a.txt": "a\n",
      "usr/local/share/a/old/legacy.txt": "legacy\n",
    });
    await installWorker(dir, root, "b", { ...WORKER_B, "usr/local/share/common": { dir: 0o755 } });
    await installWorker(dir, root, "a", WORKER_A);
    const paths = outsideState(await pathsUnder(root), "var");
    assert(!paths.includes("usr/local/share/a/old"), paths.join("\n"));
    assert(paths.includes("usr/local/share/common"), paths.join("\n"));
    assert(paths.includes("usr/local/share/a/data.txt"), paths.join("\n"));
  });
});
