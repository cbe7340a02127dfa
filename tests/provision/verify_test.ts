import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { installTrees } from "../../src/provision/install.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { verifyRecord } from "../../src/provision/verify.ts";
import { makeTree, withTempDir } from "./_helpers.ts";

Deno.test("verifyRecord() finds nothing on a fresh install and every kind of change afterwards", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const tree = join(dir, "tree");
    await makeTree(tree, {
      "usr/bin/a": { content: "#!/bin/sh\n", mode: 0o755 },
      "usr/share/w/b": "bbb\n",
      "usr/share/w/c": "ccc\n",
      "usr/share/w/d": "ddd\n",
      "usr/lib/l.so": { link: "l.so.1" },
    });
    const record = await installTrees({
      layout: { root, stateDir: systemStateDir(root), cacheDir: dir },
      trees: [{ name: "w", dir: tree }],
      metadata: { id: "w", version: "1-1", arch: "x86_64", platform: "linux", origin: "t" },
    });
    assertEquals((await verifyRecord(record)).ok, true);
    await Deno.chmod(join(root, "usr/bin/a"), 0o700);
    await Deno.writeTextFile(join(root, "usr/share/w/b"), "BBB\n"); // same size, other content
    await Deno.remove(join(root, "usr/share/w/c"));
    await Deno.remove(join(root, "usr/lib/l.so"));
    await Deno.symlink("elsewhere", join(root, "usr/lib/l.so"));
    await Deno.remove(join(root, "usr/share/w/d"));
    await Deno.mkdir(join(root, "usr/share/w/d"));
    const report = await verifyRecord(record);
    assertEquals(report.ok, false);
    assertEquals(report.problems.map((p) => [p.path.slice(root.length), p.kind]), [
      ["/usr/bin/a", "mode"],
      ["/usr/lib/l.so", "modified"],
      ["/usr/share/w/b", "modified"],
      ["/usr/share/w/c", "missing"],
      ["/usr/share/w/d", "type"],
    ]);
  });
});
