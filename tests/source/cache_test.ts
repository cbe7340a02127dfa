/**
 * The source cache lock against real processes: `flock(1)` from util-linux
 * holding `<target>.lock`, and `deno eval` children running
 * {@link withFileLock} themselves.
 *
 * @module
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CancelledError } from "../../src/errors.ts";
import { cachePathFor, gitMirrorPathFor, withFileLock } from "../../src/source/cache.ts";
import { fetchSources } from "../../src/source/fetch.ts";
import { planSources } from "../../src/source/plan.ts";
import { digest, pkgbuildWith, recorder, walk, withTempDir } from "./_helpers.ts";

const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const CACHE_MODULE = new URL("../../src/source/cache.ts", import.meta.url).href;

/** Resolves after `ms`. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 10 ms for up to `ms`; fails with `what` after. */
async function waitFor(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

/** Reads `stream` until `marker` appears in it, then unlocks it for further reading. */
async function readUntil(stream: ReadableStream<Uint8Array>, marker: string): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  try {
    while (!seen.includes(marker)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${JSON.stringify(marker)}: ${seen}`);
      seen += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

/** Whether some process holds an flock on `path` (`flock -n` fails with 1). */
async function isLockedByOthers(path: string): Promise<boolean> {
  const { code } = await new Deno.Command("flock", { args: ["-n", path, "true"] }).output();
  return code === 1;
}

/**
 * `flock PATH -c 'echo held; cat >/dev/null'`: holds the lock once it prints `held`,
 * releases it (exits) when its stdin closes.
 */
async function holdWithFlock(path: string): Promise<{ release(): Promise<Deno.CommandStatus> }> {
  const child = new Deno.Command("flock", {
    args: [path, "-c", "echo held; cat >/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  await readUntil(child.stdout, "held");
  let released: Promise<Deno.CommandStatus> | undefined;
  return {
    release() {
      released ??= (async () => {
        await child.stdin.close();
        await child.stdout.cancel();
        return await child.status;
      })();
      return released;
    },
  };
}

/** Names in `dir` ending in `.lock`. */
async function lockFiles(dir: string): Promise<string[]> {
  return (await walk(dir)).filter((p) => p.endsWith(".lock"));
}

/** One critical section: a second holder at the same time would fail `createNew` or lose a count. */
async function exclusiveStep(marker: string, counter: string): Promise<void> {
  (await Deno.open(marker, { createNew: true, write: true })).close();
  const count = Number(await Deno.readTextFile(counter).catch(() => "0"));
  await delay(Math.random() * 2);
  await Deno.writeTextFile(counter, String(count + 1));
  await Deno.remove(marker);
}

Deno.test("withFileLock() returns fn's value and leaves no .lock file next to the target", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "content", "sha256", "ab12");
    const value = await withFileLock(target, async () => {
      assertEquals(await lockFiles(dir), ["content/sha256/ab12.lock"]);
      await Deno.writeTextFile(target, "x");
      return 42;
    });
    assertEquals(value, 42);
    assertEquals(await walk(dir), ["content", "content/sha256", "content/sha256/ab12"]);
  });
});

Deno.test("withFileLock() rethrows fn's error and still removes the .lock file", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "w.tar.gz");
    await assertRejects(
      () => withFileLock(target, () => Promise.reject(new RangeError("broken fetch"))),
      RangeError,
      "broken fetch",
    );
    assertEquals(await lockFiles(dir), []);
    // The lock is free again: the next holder gets it at once.
    assertEquals(await withFileLock(target, () => Promise.resolve("again")), "again");
    assertEquals(await walk(dir), []);
  });
});

Deno.test("withFileLock() with an already aborted signal rejects with CancelledError and never runs fn", async () => {
  await withTempDir(async (dir) => {
    let ran = false;
    const error = await assertRejects(
      () =>
        withFileLock(join(dir, "w"), () => Promise.resolve(ran = true), {
          signal: AbortSignal.abort(),
        }),
      CancelledError,
    );
    assertEquals(error.code, "CANCELLED");
    assertEquals(ran, false);
    assertEquals(await walk(dir), []);
  });
});

Deno.test("withFileLock() waits for another process, reports it once, and a cancelled wait ends promptly", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "w.tar.gz");
    const holder = await holdWithFlock(`${target}.lock`);
    try {
      let waits = 0;
      const abort = new AbortController();
      let ran = false;
      const cancelled = withFileLock(target, () => Promise.resolve(ran = true), {
        signal: abort.signal,
        onWait: () => waits++,
      });
      const settled = assertRejects(() => cancelled, CancelledError);
      await waitFor(() => waits > 0, "the wait report");
      await delay(400); // several polls while the child holds the lock
      assertEquals(waits, 1);
      abort.abort();
      const error = await settled;
      assertEquals(error.message, `Waiting for the cache lock of ${target} was cancelled`);
      assertEquals(ran, false);
      assert(await isLockedByOthers(`${target}.lock`), "the child must still hold its lock");

      let laterWaits = 0;
      const waiter = withFileLock(target, () => Promise.resolve("proceeded"), {
        onWait: () => laterWaits++,
      });
      await waitFor(() => laterWaits > 0, "the second wait report");
      const status = await holder.release();
      assertEquals(status.success, true);
      assertEquals(await waiter, "proceeded");
      assertEquals(laterWaits, 1);
      // The child's lock file is removed by the next holder, this process.
      assertEquals(await lockFiles(dir), []);
    } finally {
      await holder.release();
    }
  });
});

Deno.test("withFileLock() cancels a task queued behind another task of this process, keeping the queue's order", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "mirror.git");
    const order: string[] = [];
    let releaseFirst!: () => void;
    const gate = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstHolds = false;
    const first = withFileLock(target, async () => {
      firstHolds = true;
      order.push("first");
      await gate;
      order.push("first done");
    });
    await waitFor(() => firstHolds, "the first task to hold the lock");

    let waits = 0;
    const abort = new AbortController();
    const second = withFileLock(target, () => Promise.resolve(order.push("second")), {
      signal: abort.signal,
      onWait: () => waits++,
    });
    const settled = assertRejects(() => second, CancelledError);
    const third = withFileLock(target, () => Promise.resolve(order.push("third")));
    await delay(50);
    abort.abort();
    await settled; // settles while the first task still holds the lock

    await delay(50);
    assertEquals(order, ["first"], "the third task must stay behind the first");
    releaseFirst();
    await Promise.all([first, third]);
    assertEquals(order, ["first", "first done", "third"]);
    assertEquals(waits, 0, "a task of this process is not another process");
    assertEquals(await lockFiles(dir), []);
  });
});

Deno.test("withFileLock() excludes concurrent tasks of one process and leaves no .lock file", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "w.tar.gz");
    const [marker, counter] = [join(dir, "marker"), join(dir, "counter")];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 5; i++) {
          await withFileLock(target, () => exclusiveStep(marker, counter));
        }
      }),
    );
    assertEquals(await Deno.readTextFile(counter), "40");
    assertEquals(await lockFiles(dir), []);
  });
});

/** A `deno eval` child: waits for `go`, then runs `iterations` critical sections under the lock. */
function spawnLockChild(dir: string, iterations: number): Deno.ChildProcess {
  const paths = JSON.stringify({
    target: join(dir, "w.tar.gz"),
    marker: join(dir, "marker"),
    counter: join(dir, "counter"),
    go: join(dir, "go"),
  });
  const code = `
    import { withFileLock } from ${JSON.stringify(CACHE_MODULE)};
    const { target, marker, counter, go } = ${paths};
    const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    console.log("ready");
    while (!(await Deno.stat(go).then(() => true, () => false))) await delay(5);
    for (let i = 0; i < ${iterations}; i++) {
      await withFileLock(target, async () => {
        (await Deno.open(marker, { createNew: true, write: true })).close();
        const count = Number(await Deno.readTextFile(counter).catch(() => "0"));
        await delay(Math.random() * 2);
        await Deno.writeTextFile(counter, String(count + 1));
        await Deno.remove(marker);
      });
    }
  `;
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", "--config", CONFIG, code],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

const ITERATIONS = 50;

Deno.test("withFileLock() excludes 4 processes x 50 iterations plus this process, and leaves no .lock file", async () => {
  await withTempDir(async (dir) => {
    const children = Array.from({ length: 4 }, () => spawnLockChild(dir, ITERATIONS));
    try {
      await Promise.all(children.map((child) => readUntil(child.stdout, "ready")));
      await Deno.writeTextFile(join(dir, "go"), "");
      const [marker, counter] = [join(dir, "marker"), join(dir, "counter")];
      const target = join(dir, "w.tar.gz");
      const mine = Promise.all(
        [0, 1].map(async () => {
          for (let i = 0; i < ITERATIONS / 2; i++) {
            await withFileLock(target, () => exclusiveStep(marker, counter));
          }
        }),
      );
      const outputs = await Promise.all(children.map((child) => child.output()));
      await mine;
      for (const output of outputs) {
        assertEquals(output.success, true, new TextDecoder().decode(output.stderr));
      }
      assertEquals(await Deno.readTextFile(counter), String(4 * ITERATIONS + ITERATIONS));
      assertEquals((await walk(dir)).sort(), ["counter", "go"]);
    } finally {
      for (const child of children) {
        try {
          child.kill();
        } catch {
          // already exited
        }
      }
    }
  });
});

Deno.test("fetchSources() reports source.wait once while another process holds a file's cache lock, then proceeds", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "w.bin");
    await Deno.writeTextFile(file, "worker\n");
    const plan = planSources(
      pkgbuildWith({ source: [`file://${file}`], sha256sums: [digest("worker\n")] }),
    );
    const cacheDir = join(dir, "cache");
    const target = cachePathFor(cacheDir, plan.sources[0]);
    await Deno.mkdir(join(target, ".."), { recursive: true });
    const holder = await holdWithFlock(`${target}.lock`);
    try {
      const { events, sink } = recorder();
      const fetching = fetchSources(plan, { cacheDir, onEvent: sink });
      await waitFor(() => events.some((e) => e.type === "source.wait"), "source.wait");
      await delay(300);
      assertEquals(events.map((e) => e.type), ["source.wait"]);
      assertEquals(events[0], { type: "source.wait", name: "w.bin", path: target });
      assertEquals((await holder.release()).success, true);
      const [fetched] = await fetching;
      assertEquals(fetched.path, target);
      assertEquals(events.filter((e) => e.type === "source.wait").length, 1);
      assertEquals(await lockFiles(cacheDir), []);
    } finally {
      await holder.release();
    }
  });
});

Deno.test("fetchSources() waiting for another process's lock on a git mirror stops with CancelledError when aborted", async () => {
  await withTempDir(async (dir) => {
    const repo = join(dir, "worker.git");
    const env = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", HOME: "/nonexistent" };
    await new Deno.Command("git", { args: ["init", "-q", repo], env }).output();
    const plan = planSources(
      pkgbuildWith({ source: [`git+file://${repo}`], sha256sums: ["SKIP"] }),
    );
    const cacheDir = join(dir, "cache");
    const entry = plan.sources[0].entry;
    const mirror = gitMirrorPathFor(cacheDir, entry.location, entry.name);
    await Deno.mkdir(join(mirror, ".."), { recursive: true });
    const holder = await holdWithFlock(`${mirror}.lock`);
    try {
      const { events, sink } = recorder();
      const abort = new AbortController();
      const fetching = fetchSources(plan, { cacheDir, onEvent: sink, signal: abort.signal });
      const settled = assertRejects(() => fetching, CancelledError);
      await waitFor(() => events.some((e) => e.type === "source.wait"), "source.wait");
      assertEquals(events, [{ type: "source.wait", name: entry.name, path: mirror }]);
      abort.abort();
      const error = await settled;
      assertEquals(error.message, "Waiting for the cache lock of worker was cancelled");
      assert(await isLockedByOthers(`${mirror}.lock`), "the child must still hold its lock");
    } finally {
      await holder.release();
    }
  });
});
