import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { CancelledError, LockBusyError } from "../../mod.ts";
import { acquireLock } from "../../src/provision/lock.ts";
import { withTempDir } from "./_helpers.ts";

Deno.test("acquireLock() excludes a second holder in the same process until released, then removes the file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "locks/w.lock");
    const first = await acquireLock(path, { id: "w" });
    assertStringIncludes(await Deno.readTextFile(path), `pid ${Deno.pid}@`);
    const error = await assertRejects(
      () => acquireLock(path, { id: "w", timeoutMs: 0 }),
      LockBusyError,
    );
    assertStringIncludes(
      error.message,
      `Worker w is busy: another process holds ${path} (pid ${Deno.pid}@`,
    );
    assertEquals(error.exitCode, 9);
    let waited = false;
    const second = acquireLock(path, { id: "w", timeoutMs: 5000, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    await first.release();
    const held = await second;
    assert(waited);
    await held.release();
    assertEquals(await Deno.stat(path).catch(() => null), null);
  });
});

Deno.test("acquireLock() waiting for a busy lock stops at once when cancelled", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "w.lock");
    await using _held = await acquireLock(path, { id: "w" });
    const controller = new AbortController();
    const waiting = acquireLock(path, { id: "w", signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assertRejects(() => waiting, CancelledError);
  });
});

Deno.test("acquireLock() is free again as soon as a holder process is killed", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "w.lock");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { acquireLock } from ${
          JSON.stringify(new URL("../../src/provision/lock.ts", import.meta.url).href)
        };
         await acquireLock(${JSON.stringify(path)}, { id: "w" });
         console.log("HELD");
         await new Promise(() => setInterval(() => {}, 1000));`,
      ],
      stdout: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("HELD")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the holder process exited before locking: ${out}`);
      out += value;
    }
    await assertRejects(() => acquireLock(path, { id: "w", timeoutMs: 0 }), LockBusyError);
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    const lock = await acquireLock(path, { id: "w", timeoutMs: 0 });
    await lock.release();
  });
});

Deno.test("acquireLock() serialises many concurrent holders in one process", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "locks/w.lock");
    let inside = 0;
    let max = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      const lock = await acquireLock(path, { id: "w" });
      inside++;
      max = Math.max(max, inside);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
      await lock.release();
    }));
    assertEquals(max, 1);
  });
});
