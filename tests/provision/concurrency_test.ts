/**
 * Concurrent installs in separate Deno processes (the crash child without a
 * crash point): one worker eight times into one root, and two different
 * workers at once.
 */

import { assert, assertEquals } from "../_assert.ts";
import { systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { verifyRecord } from "../../src/provision/verify.ts";
import { withWorld } from "./_world.ts";

interface Outcome {
  readonly result?: { alreadyInstalled: boolean; version: string };
  readonly error?: { code: string; message: string };
}

async function provisionInChild(args: Record<string, unknown>): Promise<Outcome> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_crash_child.ts", import.meta.url).pathname,
      "provision",
      JSON.stringify(args),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const result = text.match(/^RESULT (.*)$/m)?.[1];
  const error = text.match(/^ERROR (.*)$/m)?.[1];
  if (result) return { result: JSON.parse(result) };
  if (error) return { error: JSON.parse(error) };
  throw new Error(
    `child printed neither RESULT nor ERROR: ${text}\n${new TextDecoder().decode(out.stderr)}`,
  );
}

Deno.test("eight concurrent processes installing one worker into one root install it exactly once", async () => {
  await withWorld(async (w) => {
    const args = { catalog: w.server.url, root: w.root, cacheDir: w.cacheDir, id: "src-worker" };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => provisionInChild(args)));
    const installed = outcomes.filter((o) => o.result && !o.result.alreadyInstalled);
    const already = outcomes.filter((o) => o.result?.alreadyInstalled);
    const busy = outcomes.filter((o) => o.error?.code === "LOCK_BUSY");
    assertEquals(installed.length, 1, JSON.stringify(outcomes));
    assertEquals(installed.length + already.length + busy.length, 8, JSON.stringify(outcomes));
    const record = await readRecord(systemStateDir(w.root), "src-worker");
    assert(record);
    assertEquals((await verifyRecord(record)).ok, true);
    assertEquals(
      record.installedAt,
      (installed[0].result as unknown as { installedAt: string }).installedAt,
    );
  });
});

Deno.test("eight concurrent processes with no lock wait get success or a clear lock-busy answer", async () => {
  await withWorld(async (w) => {
    const args = {
      catalog: w.server.url,
      root: w.root,
      cacheDir: w.cacheDir,
      id: "bin-worker",
      lockTimeoutMs: 0,
    };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => provisionInChild(args)));
    for (const o of outcomes) {
      assert(o.result || o.error?.code === "LOCK_BUSY", JSON.stringify(o));
      if (o.error) assert(o.error.message.includes("Worker bin-worker is busy"), o.error.message);
    }
    assertEquals(
      outcomes.filter((o) => o.result && !o.result.alreadyInstalled).length,
      1,
      JSON.stringify(outcomes),
    );
    const record = await readRecord(systemStateDir(w.root), "bin-worker");
    assertEquals(record && (await verifyRecord(record)).ok, true);
  });
});

Deno.test("two different workers provisioned in parallel processes into one root both succeed", async () => {
  await withWorld(async (w) => {
    const base = { catalog: w.server.url, root: w.root, cacheDir: w.cacheDir };
    const [a, b] = await Promise.all([
      provisionInChild({ ...base, id: "bin-worker" }),
      provisionInChild({ ...base, id: "split-worker" }),
    ]);
    assertEquals(
      [a.result?.version, b.result?.version],
      ["1.2.0-1", "2.0-1"],
      JSON.stringify([a, b]),
    );
    for (const id of ["bin-worker", "split-worker"]) {
      const record = await readRecord(systemStateDir(w.root), id);
      assertEquals(record && (await verifyRecord(record)).ok, true);
    }
  });
});
