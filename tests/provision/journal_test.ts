import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import type { Layout } from "../../mod.ts";
import { installTrees } from "../../src/provision/install.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { recoverWorker } from "../../src/provision/_journal.ts";
import { runAndKillAtCrashPoint } from "./_child.ts";
import { makeTree, snapshot, withTempDir } from "./_helpers.ts";

async function setUp(dir: string): Promise<{ root: string; layout: Layout; v2: string }> {
  const root = join(dir, "root");
  const layout = { root, stateDir: systemStateDir(root), cacheDir: dir };
  const v1 = join(dir, "v1");
  const v2 = join(dir, "v2");
  await makeTree(v1, {
    "usr/local/bin/w": { content: "v1\n", mode: 0o755 },
    "usr/local/share/w/only-v1/f": "gone in v2\n",
    "usr/local/share/w/same": "same\n",
  });
  const v2Files: Record<string, string> = { "usr/local/share/w/same": "same\n" };
  for (let i = 0; i < 20; i++) v2Files[`usr/local/share/w/new/${i}`] = `file ${i}\n`;
  await makeTree(v2, { ...v2Files, "usr/local/bin/w": { content: "v2\n", mode: 0o755 } });
  await installTrees({
    layout,
    trees: [{ name: "w", dir: v1 }],
    metadata: { id: "w", version: "1-1", arch: "x86_64", platform: "linux", origin: "t" },
  });
  return { root, layout, v2 };
}

for (const point of ["staged", "journaled", "applying", "applied"]) {
  Deno.test(`an install killed at "${point}" is rolled back by the next run to exactly the previous state`, async () => {
    await withTempDir(async (dir) => {
      const { root, layout, v2 } = await setUp(dir);
      const before = await snapshot(root, layout.stateDir);
      await runAndKillAtCrashPoint("install", {
        root,
        stateDir: layout.stateDir,
        id: "w",
        version: "2-1",
        tree: v2,
        point,
      });
      assert(
        point === "staged" || (await snapshot(root, layout.stateDir)).join() !== before.join(),
      );
      const outcome = await recoverWorker(layout, "w");
      assertEquals(outcome, point === "staged" ? "none" : "rolled-back");
      assertEquals(await snapshot(root, layout.stateDir), before);
      const again = await installTrees({
        layout,
        trees: [{ name: "w", dir: v2 }],
        metadata: { id: "w", version: "2-1", arch: "x86_64", platform: "linux", origin: "t" },
      });
      assertEquals(again.version, "2-1");
    });
  });
}

Deno.test(`an install killed after its record was written is rolled forward by the next run`, async () => {
  await withTempDir(async (dir) => {
    const { root, layout, v2 } = await setUp(dir);
    await runAndKillAtCrashPoint("install", {
      root,
      stateDir: layout.stateDir,
      id: "w",
      version: "2-1",
      tree: v2,
      point: "recorded",
    });
    assertEquals(await recoverWorker(layout, "w"), "rolled-forward");
    assertEquals((await readRecord(layout.stateDir, "w"))?.version, "2-1");
    const lines = await snapshot(root, layout.stateDir);
    assert(
      !lines.some((l) => l.includes("only-v1") || l.includes("staging") || l.includes("journal")),
    );
    assertEquals(await Deno.readTextFile(join(root, "usr/local/bin/w")), "v2\n");
  });
});
