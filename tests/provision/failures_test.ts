/**
 * Failure injection at every step of the pipeline: afterwards the root and
 * the records are exactly as before (a full snapshot: types, modes, sizes,
 * hashes, link targets), no build directory or temp file is left, and a
 * re-run succeeds.
 */

import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  CancelledError,
  CatalogUnreachableError,
  ChecksumMismatchError,
  type ProvisionEnvelope,
  WorkerProvisioner,
} from "../../mod.ts";
import { serveCatalog } from "../../src/provision/catalog/server.ts";
import { setStepHook } from "../../src/provision/_job.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { runAndKillAtCrashPoint } from "./_child.ts";
import {
  makeTestCatalog,
  writeRemoteSourceWorker,
  writeUpWorker,
  writeWorker,
} from "./_catalog.ts";
import { snapshot, withTempDir } from "./_helpers.ts";
import { withWorld } from "./_world.ts";

/** Pids of processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const cmdline = await Deno.readTextFile(`/proc/${e.name}/cmdline`).catch(() => "");
    if (cmdline.includes(marker)) pids.push(Number(e.name));
  }
  return pids;
}

async function emptyBuildDir(cacheDir: string): Promise<void> {
  const left: string[] = [];
  try {
    for await (const e of Deno.readDir(join(cacheDir, "build"))) left.push(e.name);
  } catch {
    // no build dir at all
  }
  assertEquals(left, [], "build directories left behind");
}

Deno.test("a provision with the catalog down fails clearly and changes nothing; a re-run succeeds", async () => {
  await withTempDir(async (dir) => {
    const catalogDir = join(dir, "catalog");
    await makeTestCatalog(catalogDir, join(dir, "git"));
    const root = join(dir, "root");
    await Deno.mkdir(root);
    const server = serveCatalog({ dir: catalogDir, port: 0 });
    const url = server.url;
    const options = {
      catalog: url,
      root,
      cacheDir: join(dir, "cache"),
      fetchOptions: { retries: 0 },
    };
    await new WorkerProvisioner(options).provision("up-worker");
    const before = await snapshot(root, systemStateDir(root));
    await server.shutdown();
    const error = await assertRejects(
      () => new WorkerProvisioner(options).provision("bin-worker"),
      CatalogUnreachableError,
    );
    assertEquals(error.exitCode, 13);
    assertEquals(await snapshot(root, systemStateDir(root)), before);
    await using again = serveCatalog({ dir: catalogDir, port: 0 });
    await new WorkerProvisioner({ ...options, catalog: again.url }).provision("bin-worker");
  });
});

Deno.test("a checksum mismatch fails with exit code 5, keeps nothing, and a fixed recipe then installs", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    await p.provision("up-worker");
    const before = await snapshot(w.root, systemStateDir(w.root));
    const events: ProvisionEnvelope[] = [];
    const error = await assertRejects(
      () => p.provision("bad-sum-worker", { onEvent: (e) => events.push(e) }),
      ChecksumMismatchError,
    );
    assertEquals(error.exitCode, 5);
    assertStringIncludes(error.message, "sha256 mismatch for app.tar.gz");
    const failed = events.at(-1) as { type: string; step: string; code: string };
    assertEquals([failed.type, failed.step, failed.code], [
      "provision.failed",
      "fetch",
      "CHECKSUM_MISMATCH",
    ]);
    assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
    await emptyBuildDir(w.cacheDir);
    const good = createHash("sha256").update(
      await Deno.readFile(join(w.catalogDir, "files/app.tar.gz")),
    ).digest("hex");
    const recipe = join(w.catalogDir, "workers/bad-sum-worker/PKGBUILD");
    await Deno.writeTextFile(
      recipe,
      (await Deno.readTextFile(recipe)).replace("0".repeat(64), good),
    );
    assertEquals((await p.provision("bad-sum-worker")).version, "1-1");
  });
});

Deno.test("a failing build() fails with exit code 7, changes nothing, and a fixed recipe then installs", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    await p.provision("up-worker");
    const before = await snapshot(w.root, systemStateDir(w.root));
    const error = await assertRejects(() => p.provision("broken-worker"));
    assertEquals((error as unknown as { exitCode: number }).exitCode, 7);
    assertStringIncludes(String(error), "exit code 3");
    // Nothing changed but the kept log of the failed build, which the error names.
    const log = join(systemStateDir(w.root), "logs/broken-worker/build.log");
    assertEquals((error as { hint?: string }).hint?.includes(log), true);
    assertStringIncludes(await Deno.readTextFile(log), "error: something is broken\n");
    const after = await snapshot(w.root, systemStateDir(w.root));
    assertEquals(after.filter((line) => !line.includes("/logs")), before);
    await emptyBuildDir(w.cacheDir);
    await writeWorker(
      w.catalogDir,
      "broken-worker",
      "1",
      "pkgname=broken-worker\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n",
    );
    await p.provision("broken-worker");
    assertEquals(await Deno.stat(log).catch(() => null), null);
  });
});

Deno.test("cancelling during the download stops at once, keeps no partial file, and a re-run succeeds", async () => {
  await withWorld(async (w) => {
    const payload = new Uint8Array(4 << 20).fill(7);
    const sha = createHash("sha256").update(payload).digest("hex");
    const controller = new AbortController();
    let served = 0; // bytes the server has sent, over all requests
    const slow = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: controller.signal,
      onListen() {},
    }, () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          await new Promise((r) => setTimeout(r, 20));
          if (sent >= payload.length) return c.close();
          c.enqueue(payload.subarray(sent, sent + 16384));
          sent += 16384;
          served += 16384;
        },
      });
      return new Response(body, { headers: { "content-length": String(payload.length) } });
    });
    try {
      await writeRemoteSourceWorker(
        w.catalogDir,
        "slow-dl-worker",
        `http://127.0.0.1:${slow.addr.port}/big.bin`,
        sha,
      );
      const p = w.provisioner();
      await p.provision("up-worker");
      const before = await snapshot(w.root, systemStateDir(w.root));
      const job = new AbortController();
      const error = await assertRejects(() =>
        p.provision("slow-dl-worker", {
          signal: job.signal,
          onEvent: (e) => {
            if (e.type === "source.progress") job.abort();
          },
        })
      );
      assert(error instanceof CancelledError, String(error));
      assertEquals(error.exitCode, 130);
      // the server needs over 5 s to send it all: the download was cut, not finished
      assert(served < payload.length, `the server sent all ${served} bytes`);
      assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
      await emptyBuildDir(w.cacheDir);
      const cached = await snapshot(w.cacheDir);
      assert(!cached.some((l) => l.includes(".part") || l.includes("big.bin")), cached.join("\n"));
    } finally {
      controller.abort();
      await slow.finished;
    }
  });
});

Deno.test("cancelling during build() stops the build within seconds and changes nothing", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    await p.provision("up-worker");
    const before = await snapshot(w.root, systemStateDir(w.root));
    const job = new AbortController();
    let started = false;
    const lines: string[] = [];
    const error = await assertRejects(() =>
      p.provision("slow-build-worker", {
        signal: job.signal,
        onEvent: (e) => {
          const line = (e as { line?: string }).line;
          if (e.type === "run.output" && line !== undefined) lines.push(line);
          if (e.type === "run.output" && line?.includes("slow-build-marker started")) {
            started = true;
            job.abort();
          }
        },
      })
    );
    assert(error instanceof CancelledError, String(error));
    // build() was stopped, not waited for: the line after its sleep never ran
    assert(started, "build() never started");
    assert(!lines.some((l) => l.includes("slow-build-marker finished")), lines.join("\n"));
    assertEquals(await processesWith("61.4242"), [], "the build's sleep is still running");
    assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
    await emptyBuildDir(w.cacheDir);
    await p.provision("bin-worker");
  });
});

Deno.test("cancelling while files are being moved into place rolls an upgrade back exactly", async () => {
  await withWorld(async (w) => {
    await w.provisioner().provision("up-worker");
    const before = await snapshot(w.root, systemStateDir(w.root));
    await writeUpWorker(w.catalogDir, 2);
    const job = new AbortController();
    const p = w.provisioner();
    setStepHook(p, (point) => {
      if (point === "install:applying") job.abort();
    });
    const error = await assertRejects(() => p.provision("up-worker", { signal: job.signal }));
    assert(error instanceof CancelledError, String(error));
    assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
    await emptyBuildDir(w.cacheDir);
    assertEquals((await w.provisioner().provision("up-worker")).version, "2.0-1");
  });
});

for (const point of ["stage", "install:applying", "record"]) {
  Deno.test(`a provision killed at "${point}" leaves, after recovery, the root and records exactly as before; a re-run succeeds`, async () => {
    await withWorld(async (w) => {
      await w.provisioner().provision("up-worker");
      const before = await snapshot(w.root, systemStateDir(w.root));
      await writeUpWorker(w.catalogDir, 2);
      await runAndKillAtCrashPoint("provision", {
        catalog: w.server.url,
        root: w.root,
        cacheDir: w.cacheDir,
        id: "up-worker",
        point,
      });
      await w.provisioner().recover();
      assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
      await emptyBuildDir(w.cacheDir);
      const worker = await w.provisioner().provision("up-worker");
      assertEquals(worker.version, "2.0-1");
      assertEquals(
        await Deno.stat(join(w.root, "usr/local/share/up-worker/old.txt")).catch(() => null),
        null,
      );
    });
  });
}

Deno.test("the next provision after a crash recovers the interrupted install itself and reports it", async () => {
  await withWorld(async (w) => {
    await w.provisioner().provision("up-worker");
    await writeUpWorker(w.catalogDir, 2);
    const args = { catalog: w.server.url, root: w.root, cacheDir: w.cacheDir, id: "up-worker" };
    await runAndKillAtCrashPoint("provision", { ...args, point: "install:applying" });
    const events: ProvisionEnvelope[] = [];
    const worker = await w.provisioner().provision("up-worker", { onEvent: (e) => events.push(e) });
    assertEquals(worker.version, "2.0-1");
    const recovered = events.find((e) => e.type === "provision.recovered") as
      | { outcome?: string }
      | undefined;
    assertEquals(recovered?.outcome, "rolled-back");
    assertEquals((await w.provisioner().verify("up-worker")).ok, true);
  });
});
