/**
 * Crash consistency at the library's level: a cancelled uninstall puts
 * every file back; an uninstall past its commit finishes; the journal of a
 * killed uninstall is rolled back or forward by the next call; doctor finds
 * and repairs leftovers and damage.
 */
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { CancelledError } from "../../src/errors.ts";
import { installTrees } from "../../src/provision/install.ts";
import { type Layout, systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { uninstallRecord } from "../../src/provision/uninstall.ts";
import { WorkerProvisioner } from "../../src/provision/provisioner.ts";
import { acquireLock } from "../../src/provision/lock.ts";
import { makeTree, outsideState, snapshot, withTempDir } from "./_helpers.ts";

/** What the root holds outside the state directory. */
async function rootFiles(dir: string): Promise<string[]> {
  return outsideState(await snapshot(join(dir, "root")), "var");
}

function layoutOf(dir: string): Layout {
  const root = join(dir, "root");
  return { root, stateDir: systemStateDir(root), cacheDir: join(dir, "cache") };
}

async function installW(dir: string) {
  const tree = join(dir, "tree");
  await makeTree(tree, {
    "usr/local/bin/w": { content: "w\n", mode: 0o755 },
    "usr/local/share/w/d": "d\n",
  });
  return await installTrees({
    layout: layoutOf(dir),
    trees: [{ name: "w", dir: tree }],
    metadata: { id: "w", version: "1-1", arch: "x86_64", platform: "linux", origin: "test" },
  });
}

Deno.test("uninstallRecord() cancelled before its commit puts every file back and throws CancelledError", async () => {
  await withTempDir(async (dir) => {
    const record = await installW(dir);
    const before = await rootFiles(dir);
    for (const point of ["journaled", "moved"] as const) {
      const controller = new AbortController();
      await assertRejects(
        () =>
          uninstallRecord(layoutOf(dir).stateDir, record, {
            layout: layoutOf(dir),
            signal: controller.signal,
            hook: (p) => {
              if (p === point) controller.abort();
            },
          }),
        CancelledError,
      );
      assertEquals(await rootFiles(dir), before, point);
    }
  });
});

Deno.test("uninstallRecord() cancelled after its commit finishes and reports success", async () => {
  await withTempDir(async (dir) => {
    const record = await installW(dir);
    const controller = new AbortController();
    const result = await uninstallRecord(layoutOf(dir).stateDir, record, {
      layout: layoutOf(dir),
      signal: controller.signal,
      hook: (p) => {
        if (p === "committed") controller.abort();
      },
    });
    assertEquals(result.removed.includes(join(dir, "root/usr/local/bin/w")), true);
    assertEquals(await readRecord(layoutOf(dir).stateDir, "w"), null);
    assertEquals(await rootFiles(dir), []);
  });
});

Deno.test("a crashed uninstall is rolled back before its commit and forward after it by the next call", async () => {
  for (const [point, installed] of [["moved", true], ["committed", false]] as const) {
    await withTempDir(async (dir) => {
      const record = await installW(dir);
      const before = await rootFiles(dir);
      const crash = new Error("crash");
      await assertRejects(() =>
        uninstallRecord(layoutOf(dir).stateDir, record, {
          layout: layoutOf(dir),
          hook: (p) => {
            if (p === point) throw crash; // the process dies here: nothing after runs
          },
        })
      );
      // Before the commit the failure itself rolls back; after it the journal stays
      // (as after a kill) and the next call of any kind rolls it forward.
      const p = new WorkerProvisioner({ root: join(dir, "root"), cacheDir: join(dir, "cache") });
      const list = await p.list();
      assertEquals(list.map((w) => w.id), installed ? ["w"] : []);
      assertEquals(await rootFiles(dir), installed ? before : []);
    });
  }
});

Deno.test("doctor lists leftovers and damage without changing anything, and --repair fixes them", async () => {
  await withTempDir(async (dir) => {
    await installW(dir);
    const { stateDir } = layoutOf(dir);
    await makeTree(stateDir, {
      "workers/bad/record.json": "{",
      [`workers/w/.record.json.${crypto.randomUUID()}.tmp`]: "{",
      "locks/w.lock": "",
      "staging/w~orphan/new/0": "x",
    });
    await makeTree(join(dir, "cache/build"), { "w~killed/src/a": "a" });
    const p = new WorkerProvisioner({ root: join(dir, "root"), cacheDir: join(dir, "cache") });
    const found = await p.doctor();
    assertEquals(found.ok, false);
    const kinds = found.findings.map((f) => `${f.kind} ${f.id}`).sort();
    for (
      const k of [
        "damaged-record bad",
        "temp-file w",
        "orphaned-staging w",
        "build-dir w",
        "stale-lock w",
      ]
    ) {
      assert(kinds.includes(k), `${k} in ${kinds.join(", ")}`);
    }
    assert(
      (await Deno.lstat(join(stateDir, "staging/w~orphan")).catch(() => null)) !== null,
      "not repaired yet",
    );
    const repaired = await p.doctor({ repair: true });
    assertEquals(repaired.ok, true);
    assertEquals((await p.doctor()).findings, []);
    assertEquals((await p.list()).map((w) => w.id), ["w"]);
    const aside = [...Deno.readDirSync(join(stateDir, "damaged"))].map((e) => e.name);
    assertEquals(aside.length, 1);
    assert(aside[0].startsWith("bad."));
  });
});

Deno.test("doctor --repair removes a record whose files are all gone and reports one whose files are partly missing", async () => {
  await withTempDir(async (dir) => {
    const record = await installW(dir);
    const p = new WorkerProvisioner({ root: join(dir, "root"), cacheDir: join(dir, "cache") });
    await Deno.remove(record.files.find((f) => f.path.endsWith("/bin/w"))!.path);
    assertEquals((await p.doctor()).findings.map((f) => f.kind), ["files-missing"]);
    await Deno.remove(join(dir, "root/usr/local/share/w/d"));
    const repaired = await p.doctor({ repair: true });
    assertEquals(repaired.findings.map((f) => [f.kind, f.repaired]), [["files-gone", true]]);
    assertEquals(await p.list(), []);
  });
});

Deno.test("recovery leaves alone a worker whose lock another job holds (its journal is live, not a crash's)", async () => {
  await withTempDir(async (dir) => {
    const { stateDir } = layoutOf(dir);
    await makeTree(stateDir, { "staging/busy~tx/new/0": "x", "staging/idle~tx/new/0": "y" });
    const held = await acquireLock(join(stateDir, "locks/busy.lock"), { id: "busy" });
    try {
      const p = new WorkerProvisioner({ root: join(dir, "root"), cacheDir: join(dir, "cache") });
      await p.list();
      const left = [...Deno.readDirSync(join(stateDir, "staging"))].map((e) => e.name);
      assertEquals(left, ["busy~tx"]);
      assertEquals((await p.doctor()).findings.map((f) => [f.kind, f.id]), [["busy", "busy"]]);
    } finally {
      await held.release();
    }
  });
});

Deno.test("list() removes a record's temporary file when the worker has nothing else left over", async () => {
  await withTempDir(async (dir) => {
    await installW(dir);
    const { stateDir } = layoutOf(dir);
    const temp = `.record.json.${crypto.randomUUID()}.tmp`;
    await makeTree(stateDir, { [`workers/w/${temp}`]: "{" });
    const p = new WorkerProvisioner({ root: join(dir, "root"), cacheDir: join(dir, "cache") });
    assertEquals((await p.list()).map((w) => w.id), ["w"]);
    assertEquals([...Deno.readDirSync(join(stateDir, "workers/w"))].map((e) => e.name), [
      "record.json",
    ]);
    assertEquals((await p.list()).map((w) => w.id), ["w"], "a healthy worker is listed again");
    assertEquals(await Deno.lstat(join(stateDir, "locks")).catch(() => null), null, "no lock left");
  });
});
