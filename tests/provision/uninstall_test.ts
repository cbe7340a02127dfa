import { assert, assertEquals } from "@std/assert";
import { join } from "@std/path";
import { installTrees, readRecord, systemStateDir, uninstallRecord } from "../../mod.ts";
import { makeTree, outsideState, snapshot, withTempDir } from "./_helpers.ts";

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

Deno.test("uninstallRecord() reports and keeps a modified file unless forced", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const record = await installHello(dir, root);
    await Deno.writeTextFile(join(root, "usr/local/share/hello/a.txt"), "edited by the admin\n");
    const result = await uninstallRecord(systemStateDir(root), record);
    assertEquals(result.kept.map((k) => [k.path, k.kind]), [[
      join(root, "usr/local/share/hello/a.txt"),
      "modified",
    ]]);
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/share/hello/a.txt")),
      "edited by the admin\n",
    );
    assertEquals(outsideState(await snapshot(root), "var"), [
      "usr dir 755",
      "usr/local dir 755",
      "usr/local/share dir 755",
      "usr/local/share/hello dir 755",
      (await snapshot(root)).find((l) => l.startsWith("usr/local/share/hello/a.txt"))!,
    ]);
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
