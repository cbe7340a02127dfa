/** The hive catalog entry: its shape against the JSON Schema written from the field list, and its choices. */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import {
  hiveMetadata,
  hiveVersion,
  type InstalledWorker,
  mainExecutable,
} from "../../src/hive/metadata.ts";
import {
  defaultHiveCatalogDir,
  readHiveMetadata,
  registerInHive,
  unregisterFromHive,
} from "../../src/hive/catalog.ts";
import type { HiveEvent } from "../../src/hive/events.ts";
import { validate } from "./_json_schema.ts";

const SCHEMA = JSON.parse(
  await Deno.readTextFile(new URL("./metadata.schema.json", import.meta.url)),
);

const WORKER: InstalledWorker = {
  id: "llm-worker-rbee-cpu",
  version: "1:0.1.0-2",
  platform: "linux",
  workerType: "cpu",
  executables: ["/usr/local/bin/helper", "/usr/local/bin/llm-worker-rbee-cpu"],
  entry: { binary_name: "llm-worker-rbee-cpu" },
  installedAt: "2026-12-06T04:00:00.123Z",
};

Deno.test("hiveMetadata() gives exactly the FilesystemCatalog shape, valid against the schema", () => {
  const made = hiveMetadata(WORKER, () => 12345678);
  assert("metadata" in made);
  assertEquals(validate(SCHEMA, made.metadata), []);
  assertEquals(made.metadata, {
    artifact: {
      id: "llm-worker-rbee-cpu",
      worker_type: "CpuLlm",
      platform: "Linux",
      path: "/usr/local/bin/llm-worker-rbee-cpu",
      size: 12345678,
      status: "Available",
      version: "0.1.0",
      added_at: "2026-12-06T04:00:00Z",
    },
    added_at: "2026-12-06T04:00:00Z",
    last_accessed: null,
  });
});

Deno.test("the schema validator rejects what the hive could not parse", () => {
  const made = hiveMetadata(WORKER, () => 1) as unknown as { metadata: Record<string, unknown> };
  const bad = structuredClone(made.metadata) as { artifact: Record<string, unknown> };
  bad.artifact.worker_type = "cpu";
  bad.artifact.extra = 1;
  delete bad.artifact.size;
  assertEquals(validate(SCHEMA, bad).sort(), [
    '$.artifact.worker_type: "cpu" is not one of ["CpuLlm","CudaLlm","MetalLlm"]',
    "$.artifact: missing size",
    "$.artifact: unexpected extra",
  ]);
  assertEquals(validate(SCHEMA, { ...made.metadata, added_at: "yesterday" }).length, 1);
});

Deno.test("mainExecutable() takes binary_name or install_path among the executables, else the single one", () => {
  assertEquals(mainExecutable({ ...WORKER, entry: { install_path: "/usr/local/bin/helper" } }), {
    path: "/usr/local/bin/helper",
  });
  assertEquals(mainExecutable({ ...WORKER, entry: {}, executables: ["/x/a"] }), { path: "/x/a" });
  assert("problem" in mainExecutable({ ...WORKER, entry: {} }));
  assert("problem" in mainExecutable({ ...WORKER, entry: { binary_name: "missing" } }));
  const noType = hiveMetadata({ ...WORKER, workerType: undefined }, () => 0);
  assert("problem" in noType && noType.problem.includes("worker_type"));
  assertEquals(hiveVersion("0.1.0-1"), "0.1.0");
});

Deno.test("registerInHive() writes DIR/<id>/metadata.json, unregisterFromHive() removes it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const exe = join(dir, "bin/llm-worker-rbee-cpu");
    await Deno.mkdir(join(dir, "bin"));
    await Deno.writeTextFile(exe, "#!/bin/sh\n");
    const events: HiveEvent[] = [];
    const catalog = join(dir, "hive");
    await registerInHive(catalog, { ...WORKER, executables: [exe] }, (e) => events.push(e));
    const written = await readHiveMetadata(catalog, WORKER.id);
    assertEquals(validate(SCHEMA, written), []);
    assertEquals([written?.artifact.path, written?.artifact.size], [exe, 10]);
    assertEquals(events.map((e) => e.type), ["hive.registered"]);
    assertEquals([...Deno.readDirSync(join(catalog, WORKER.id))].map((e) => e.name), [
      "metadata.json",
    ]);
    assert(await unregisterFromHive(catalog, WORKER.id));
    assertEquals(await readHiveMetadata(catalog, WORKER.id), null);
    assertEquals([...Deno.readDirSync(catalog)], []);
    assertEquals(defaultHiveCatalogDir({ home: "/home/u" }), "/home/u/.cache/rbee/workers");
    assertEquals(defaultHiveCatalogDir({ xdgCacheHome: "/c", home: "/h" }), "/c/rbee/workers");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("registerInHive() warns and writes nothing when the worker cannot be registered", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const events: HiveEvent[] = [];
    const onEvent = (e: HiveEvent) => events.push(e);
    assertEquals(
      await registerInHive(join(dir, "a"), { ...WORKER, workerType: undefined }, onEvent),
      null,
    );
    assertEquals(
      await registerInHive(join(dir, "b"), {
        ...WORKER,
        executables: [join(dir, "gone/llm-worker-rbee-cpu")],
      }, onEvent),
      null,
    );
    await Deno.writeTextFile(join(dir, "c"), "a file where the catalog directory should be");
    const exe = join(dir, "llm-worker-rbee-cpu");
    await Deno.writeTextFile(exe, "");
    assertEquals(
      await registerInHive(join(dir, "c"), { ...WORKER, executables: [exe] }, onEvent),
      null,
    );
    assertEquals(events.map((e) => e.type), ["hive.warning", "hive.warning", "hive.warning"]);
    assertEquals(
      events[0].message,
      "llm-worker-rbee-cpu is not registered in the hive's worker catalog: it has no worker_type (install it from a catalog)",
    );
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "c",
      "llm-worker-rbee-cpu",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
