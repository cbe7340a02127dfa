import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "../_assert.ts";
import { join } from "node:path";
import { CancelledError, InstallConflictError, type Layout } from "../../mod.ts";
import { type InstallOptions, installTrees } from "../../src/provision/install.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { uninstallRecord } from "../../src/provision/uninstall.ts";
import { verifyRecord } from "../../src/provision/verify.ts";
import { makeTree, outsideState, snapshot, type TreeSpec, withTempDir } from "./_helpers.ts";

const V1: TreeSpec = {
  "usr/local/bin/hello": { content: "#!/bin/sh\necho v1\n", mode: 0o755 },
  "usr/local/share/hello/data.txt": "data v1\n",
  "usr/local/share/hello/old-only/legacy.txt": "legacy\n",
  "usr/local/lib/hello.so": { link: "hello.so.1" },
};
const V2: TreeSpec = {
  "usr/local/bin/hello": { content: "#!/bin/sh\necho v2\n", mode: 0o755 },
  "usr/local/share/hello/data.txt": "data v2\n",
  "usr/local/lib/hello.so": { link: "hello.so.2" },
};

function layoutOf(root: string): Layout {
  return { root, stateDir: systemStateDir(root), cacheDir: join(root, "cache") };
}

async function install(
  dir: string,
  root: string,
  id: string,
  version: string,
  spec: TreeSpec,
  extra: Partial<InstallOptions> = {},
) {
  const tree = join(dir, `tree-${id}-${version}-${crypto.randomUUID()}`);
  await makeTree(tree, spec);
  return await installTrees({
    layout: layoutOf(root),
    trees: [{ name: id, dir: tree }],
    metadata: { id, version, arch: "x86_64", platform: "linux", origin: "test" },
    ...extra,
  });
}

const STATE = "var/lib/worker-provisioner";

Deno.test("installTrees() installs a package tree into the root and records every file", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const record = await install(dir, root, "hello", "1.0-1", V1);
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/bin/hello")),
      "#!/bin/sh\necho v1\n",
    );
    assertEquals((await Deno.stat(join(root, "usr/local/bin/hello"))).mode! & 0o777, 0o755);
    assertEquals(await Deno.readLink(join(root, "usr/local/lib/hello.so")), "hello.so.1");
    assertEquals(record.executables, [join(root, "usr/local/bin/hello")]);
    const hello = record.files.find((f) => f.path.endsWith("bin/hello"))!;
    assertEquals(hello.type, "file");
    assertEquals(hello.mode, 0o755);
    assertEquals(hello.size, 18);
    assertEquals(hello.sha256?.length, 64);
    assertEquals(record.createdDirs[0], join(root, "usr"));
    assertEquals(await readRecord(systemStateDir(root), "hello"), record);
    // nothing left in staging or journal
    const state = await snapshot(root, systemStateDir(root));
    assertEquals(state.filter((l) => l.startsWith(STATE)).map((l) => l.split(" ")[0]), [
      `${STATE}/workers/hello`,
      `${STATE}/workers/hello/record.json`,
    ]);
  });
});

Deno.test("installTrees() upgrade replaces files and removes the ones the new version no longer ships", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await install(dir, root, "hello", "1.0-1", V1);
    const record = await install(dir, root, "hello", "2.0-1", V2);
    assertEquals(record.version, "2.0-1");
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/share/hello/data.txt")),
      "data v2\n",
    );
    assertEquals(await Deno.readLink(join(root, "usr/local/lib/hello.so")), "hello.so.2");
    const tree = outsideState(await snapshot(root, systemStateDir(root)), STATE);
    assert(!tree.some((l) => l.includes("legacy") || l.includes("old-only")), tree.join("\n"));
  });
});

Deno.test("installTrees() reinstall of the same version leaves the same tree and a fresh record", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    const first = await install(dir, root, "hello", "1.0-1", V1);
    const before = outsideState(await snapshot(root), STATE);
    const second = await install(dir, root, "hello", "1.0-1", V1);
    assertEquals(outsideState(await snapshot(root), STATE), before);
    assert(first.txid !== second.txid);
    assertEquals(second.files, first.files);
    assertEquals(second.createdDirs, first.createdDirs);
  });
});

Deno.test("installTrees() refuses a file present and owned by nobody, and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await makeTree(root, { "usr/local/bin/hello": "mine\n" });
    const before = await snapshot(root);
    const error = await assertRejects(
      () => install(dir, root, "hello", "1.0-1", V1),
      InstallConflictError,
    );
    assertStringIncludes(error.message, "usr/local/bin/hello (exists, owned by no worker)");
    assertEquals(error.exitCode, 11);
    assertEquals(await snapshot(root, systemStateDir(root)), before);
  });
});

Deno.test("installTrees() with force overwrites an unowned file and then owns it", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await makeTree(root, { "usr/local/bin/hello": "mine\n" });
    await install(dir, root, "hello", "1.0-1", V1, { force: true });
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/bin/hello")),
      "#!/bin/sh\necho v1\n",
    );
    await install(dir, root, "hello", "2.0-1", V2); // now owned: no force needed
  });
});

Deno.test("installTrees() refuses files owned by another worker", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await install(dir, root, "hello", "1.0-1", V1);
    const before = await snapshot(root);
    const error = await assertRejects(
      () => install(dir, root, "other", "1.0-1", { "usr/local/bin/hello": "x" }),
      InstallConflictError,
    );
    assertStringIncludes(error.message, "owned by hello");
    assertEquals(await snapshot(root), before);
  });
});

Deno.test("installTrees() of two workers claiming one path at once: the second sees the first's record and refuses", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reachedJournal!: () => void;
    const journaled = new Promise<void>((resolve) => (reachedJournal = resolve));
    // The first install stops after deciding (journal written) until the second has started.
    const first = install(dir, root, "hello", "1.0-1", V1, {
      hook: async (point) => {
        if (point === "journaled") {
          reachedJournal();
          await held;
        }
      },
    });
    await journaled;
    const secondSteps: string[] = [];
    const second = install(dir, root, "other", "1.0-1", { "usr/local/bin/hello": "x" }, {
      hook: (point) => void secondSteps.push(point),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The second has staged its tree but waits for the tree lock before reading records.
    assertEquals(secondSteps, ["staged"]);
    release();
    await first;
    const error = await assertRejects(() => second, InstallConflictError);
    assertStringIncludes(error.message, "owned by hello");
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/bin/hello")),
      "#!/bin/sh\necho v1\n",
    );
    assertEquals(await readRecord(systemStateDir(root), "other"), null);
    assertEquals(
      await Deno.stat(join(root, STATE, "locks")).then(() => "left", () => "gone"),
      "gone",
    );
  });
});

Deno.test("installTrees() cancelled half-way through moving files rolls back to exactly the previous version", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await install(dir, root, "hello", "1.0-1", V1);
    const before = await snapshot(root, systemStateDir(root));
    const controller = new AbortController();
    const error = await assertRejects(() =>
      install(dir, root, "hello", "2.0-1", V2, {
        signal: controller.signal,
        hook: (point) => {
          if (point === "applying") controller.abort();
        },
      })
    );
    assertInstanceOf(error, CancelledError);
    assertEquals(await snapshot(root, systemStateDir(root)), before);
  });
});

Deno.test("installTrees() failing at every hook point before the record rolls back a first install to an empty root", async () => {
  for (const point of ["staged", "journaled", "applying", "applied"] as const) {
    await withTempDir(async (dir) => {
      const root = join(dir, "root");
      await Deno.mkdir(root);
      const before = await snapshot(root, systemStateDir(root));
      await assertRejects(
        () =>
          install(dir, root, "hello", "1.0-1", V1, {
            hook: (p) => {
              if (p === point) throw new Error(`injected at ${point}`);
            },
          }),
        Error,
        `injected at ${point}`,
      );
      assertEquals(await snapshot(root, systemStateDir(root)), before, point);
    });
  }
});

Deno.test("installTrees() keeps a committed install when a failure comes after the record", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await assertRejects(() =>
      install(dir, root, "hello", "1.0-1", V1, {
        hook: (p) => {
          if (p === "recorded") throw new Error("after commit");
        },
      })
    );
    assertEquals((await readRecord(systemStateDir(root), "hello"))?.version, "1.0-1");
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/share/hello/data.txt")),
      "data v1\n",
    );
  });
});

Deno.test("installTrees() stores root-relative paths, so a root moved elsewhere still verifies and uninstalls", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "root");
    await install(dir, root, "hello", "1.0-1", V1);
    const stored = JSON.parse(
      await Deno.readTextFile(join(root, STATE, "workers/hello/record.json")),
    );
    assertEquals(stored.executables, ["usr/local/bin/hello"]);
    assert(stored.files.every((f: { path: string }) => !f.path.startsWith("/")));
    const moved = join(dir, "image");
    await Deno.rename(root, moved);
    const record = await readRecord(systemStateDir(moved), "hello");
    assertEquals(record?.executables, [join(moved, "usr/local/bin/hello")]);
    assertEquals((await verifyRecord(record!)).ok, true);
    await uninstallRecord(systemStateDir(moved), record!);
    assertEquals(outsideState(await snapshot(moved, systemStateDir(moved)), STATE), []);
  });
});

Deno.test("installTrees() with consumeTrees moves files out of the tree and records the same files as a copy", async () => {
  await withTempDir(async (dir) => {
    const copied = await install(dir, join(dir, "root-copy"), "hello", "1.0-1", V1);
    const tree = join(dir, "tree-consumed");
    await makeTree(tree, V1);
    const root = join(dir, "root-move");
    const moved = await installTrees({
      layout: layoutOf(root),
      trees: [{ name: "hello", dir: tree }],
      metadata: {
        id: "hello",
        version: "1.0-1",
        arch: "x86_64",
        platform: "linux",
        origin: "test",
      },
      consumeTrees: true,
    });
    const strip = (r: typeof moved, base: string) =>
      r.files.map((f) => ({ ...f, path: f.path.slice(base.length) }));
    assertEquals(strip(moved, root), strip(copied, join(dir, "root-copy")));
    assertEquals(
      await Deno.readTextFile(join(root, "usr/local/bin/hello")),
      "#!/bin/sh\necho v1\n",
    );
    assertEquals((await Deno.stat(join(root, "usr/local/bin/hello"))).mode! & 0o777, 0o755);
    assertEquals((await verifyRecord(moved)).ok, true);
    // The regular files were moved (same filesystem), not copied: the tree no longer has them.
    await assertRejects(() => Deno.stat(join(tree, "usr/local/bin/hello")), Deno.errors.NotFound);
    assertEquals(await Deno.readLink(join(tree, "usr/local/lib/hello.so")), "hello.so.1");
  });
});
