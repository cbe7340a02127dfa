/**
 * The trust boundary at the library's level: package trees that would
 * plant state or write through another worker's symlink, records that fail
 * their schema, and ids that are not safe file names.
 */
import { assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import {
  RecordInvalidError,
  UnsafePathError,
  UnsafeWorkerIdError,
} from "../../src/boundary/errors.ts";
import { installTrees } from "../../src/provision/install.ts";
import { type Layout, systemStateDir } from "../../src/provision/paths.ts";
import { listRecords, readRecord, scanRecords } from "../../src/provision/record.ts";
import { WorkerProvisioner } from "../../src/provision/provisioner.ts";
import { makeTree, snapshot, type TreeSpec, withTempDir } from "./_helpers.ts";

function layoutOf(dir: string): Layout {
  const root = join(dir, "root");
  return {
    root,
    stateDir: systemStateDir(root),
    cacheDir: join(root, "var/cache/worker-provisioner"),
  };
}

async function install(dir: string, id: string, spec: TreeSpec) {
  const tree = join(dir, `tree-${id}`);
  await makeTree(tree, spec);
  return await installTrees({
    layout: layoutOf(dir),
    trees: [{ name: id, dir: tree }],
    metadata: { id, version: "1-1", arch: "x86_64", platform: "linux", origin: "test" },
  });
}

Deno.test("installTrees() refuses a second worker's file under a symlinked directory the first installed", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "outside"));
    await install(dir, "linker", { "usr/local/lib/x": { link: join(dir, "outside") } });
    const before = await snapshot(join(dir, "root"));
    await assertRejects(
      () => install(dir, "planter", { "usr/local/lib/x/file": "pwned\n" }),
      UnsafePathError,
      "symlink a worker installed",
    );
    assertEquals([...Deno.readDirSync(join(dir, "outside"))], []);
    assertEquals(await snapshot(join(dir, "root")), before);
  });
});

Deno.test("installTrees() refuses a path through a system symlink that leads outside the root", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "outside"));
    await makeTree(join(dir, "root"), { "opt": { link: join(dir, "outside") } });
    await assertRejects(
      () => install(dir, "w", { "opt/w/bin": "x\n" }),
      UnsafePathError,
      "resolves to",
    );
    assertEquals([...Deno.readDirSync(join(dir, "outside"))], []);
  });
});

Deno.test("installTrees() refuses a package that ships a record, journal or lock into the state directory", async () => {
  await withTempDir(async (dir) => {
    for (
      const spec of [
        { "var/lib/worker-provisioner/workers/x/record.json": "{}" },
        { "var/lib/worker-provisioner/locks/x.lock": "" },
        { "var/lib/worker-provisioner": { link: "/tmp" } },
        { "var/lib": { link: "/tmp" } },
        { "var/cache/worker-provisioner/build/x": "" },
      ] as TreeSpec[]
    ) {
      await assertRejects(() => install(dir, "forger", spec), UnsafePathError);
      await Deno.remove(join(dir, "tree-forger"), { recursive: true });
    }
    assertEquals(await listRecords(layoutOf(dir).stateDir), []);
  });
});

Deno.test("scanRecords() lists the valid records and names each damaged one; readRecord() throws RECORD_INVALID", async () => {
  await withTempDir(async (dir) => {
    await install(dir, "good", { "usr/local/bin/good": "g\n" });
    const { stateDir } = layoutOf(dir);
    await makeTree(join(stateDir, "workers"), {
      "bad/record.json": '{"schema":1,"id":"bad","files":[{"path":42}]}',
      "cut/record.json": '{"schema":1,',
    });
    const { records, damaged } = await scanRecords(stateDir);
    assertEquals(records.map((r) => r.id), ["good"]);
    assertEquals(damaged.map((e) => e.path), [
      join(stateDir, "workers/bad/record.json"),
      join(stateDir, "workers/cut/record.json"),
    ]);
    await assertRejects(
      () => readRecord(stateDir, "bad"),
      RecordInvalidError,
      "workers/bad/record.json",
    );
  });
});

Deno.test("WorkerProvisioner refuses unsafe command-line ids before touching a path", async () => {
  await withTempDir(async (dir) => {
    const p = new WorkerProvisioner({ root: join(dir, "root"), catalog: join(dir, "catalog") });
    await Deno.writeTextFile(join(dir, "victim.lock"), "canary");
    for (const id of ["../../../../victim", "..", ".x", "-rf", "a/b", ""]) {
      await assertRejects(() => p.verify(id), UnsafeWorkerIdError);
      await assertRejects(() => p.remove(id), UnsafeWorkerIdError);
      await assertRejects(() => p.exists(id), UnsafeWorkerIdError);
    }
    assertEquals(await Deno.readTextFile(join(dir, "victim.lock")), "canary");
  });
});
