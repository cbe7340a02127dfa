/**
 * `scanInstalled()`, what `list` reads: leftovers of killed runs are
 * recovered first (temp files, stale lock files, the tree lock), a damaged
 * record is reported, and a state directory without its subdirectories
 * lists nothing.
 */
import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { scanInstalled } from "../../src/provision/installed.ts";
import { statePaths } from "../../src/provision/paths.ts";
import { withTempDir } from "./_helpers.ts";
import { ID, installed } from "./_installed_worker.ts";

/** The names under `dir`, or `null` when it does not exist. */
async function namesIn(dir: string): Promise<string[] | null> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch {
    return null;
  }
}

Deno.test("scanInstalled() removes the leftovers of killed runs: temp files, stale locks, the tree lock", async () => {
  await withTempDir(async (dir) => {
    const layout = await installed(dir);
    const paths = statePaths(layout.stateDir);
    await Deno.writeTextFile(join(paths.workersDir, ID, ".record.json.x.tmp"), "{");
    await Deno.mkdir(paths.journalDir, { recursive: true });
    await Deno.writeTextFile(join(paths.journalDir, `.${ID}.json.x.tmp`), "{");
    await Deno.mkdir(paths.locksDir, { recursive: true });
    await Deno.writeTextFile(paths.lock(ID), "pid 1");
    await Deno.writeTextFile(paths.treeLock, "pid 1");
    const { workers, damaged } = await scanInstalled(layout);
    assertEquals([workers.map((w) => w.id), damaged], [[ID], []]);
    assertEquals(await namesIn(layout.stateDir), ["workers"]);
    assertEquals(await namesIn(join(paths.workersDir, ID)), ["record.json"]);
  });
});

Deno.test("scanInstalled() reports a damaged record and lists the others", async () => {
  await withTempDir(async (dir) => {
    const layout = await installed(dir);
    const bad = join(statePaths(layout.stateDir).workersDir, "bad");
    await Deno.mkdir(bad);
    await Deno.writeTextFile(join(bad, "record.json"), "{");
    const { workers, damaged } = await scanInstalled(layout);
    assertEquals(workers.map((w) => w.id), [ID]);
    assertEquals(damaged.length, 1);
    assertStringIncludes(damaged[0].message, join(bad, "record.json"));
  });
});

Deno.test("scanInstalled() of a missing or empty state directory lists nothing", async () => {
  await withTempDir(async (dir) => {
    const layout = { root: dir, stateDir: join(dir, "state"), cacheDir: join(dir, "cache") };
    assertEquals(await scanInstalled(layout), { workers: [], damaged: [] });
    await Deno.mkdir(layout.stateDir);
    assertEquals(await scanInstalled(layout), { workers: [], damaged: [] });
  });
});
