/**
 * Ctrl-C (SIGINT to the CLI process) during a download from a slow local
 * server and during a build that sleeps: exit 130, no process left, and
 * nothing left in the root, the state or the cache.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { spawnCli } from "./_spawn.ts";

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name));
      else found.push(join(d, e.name));
    }
  };
  await walk(dir).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return found.sort();
}

/** A server that sends a 64 MiB file 64 KiB at a time, every 50 ms. */
function slowServer(): { url: string; sent: () => number; close: () => Promise<void> } {
  let sent = 0;
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
  }, () => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        timer = setInterval(() => {
          try {
            stream.enqueue(new Uint8Array(64 * 1024));
            sent += 64 * 1024;
          } catch {
            clearInterval(timer);
          }
        }, 50);
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: { "content-length": String(64 * 1024 * 1024) } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    sent: () => sent,
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

Deno.test("Ctrl-C during a download exits 130 and leaves no file in the root, state or cache", async () => {
  const t = await Deno.makeTempDir();
  const server = slowServer();
  try {
    await Deno.mkdir(`${t}/recipe`);
    await Deno.writeTextFile(
      `${t}/recipe/PKGBUILD`,
      `pkgname=slow\npkgver=1\npkgrel=1\narch=(any)\nsource=("big.bin::${server.url}/big.bin")\n` +
        `sha256sums=('${"0".repeat(64)}')\npackage() { :; }\n`,
    );
    const cli = spawnCli([
      "install",
      `${t}/recipe`,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
    ]);
    await cli.waitForStderr(/^fetching big\.bin/);
    await until(() => server.sent() >= 512 * 1024, "half a megabyte sent");
    cli.process.kill("SIGINT");
    const { code, stderr } = await cli.finished();
    assertEquals(code, 130, stderr);
    // the server needs 51 s for the whole file: the download was cut, not finished
    assert(server.sent() < 64 * 1024 * 1024, "the whole file was sent");
    assertStringIncludes(stderr, "cancelling install; press Ctrl-C again to stop at once\n");
    assertMatch(stderr.trimEnd().split("\n").at(-1)!, /^error: .+ was cancelled$/);
    // No partial download and no cache lock survives.
    const left = (await filesUnder(t)).filter((p) => !p.endsWith("/recipe/PKGBUILD"));
    assertEquals(left, []);
  } finally {
    await server.close();
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("Ctrl-C during a build exits 130, stops the build's processes and leaves no file", async () => {
  const t = await Deno.makeTempDir();
  const marker = `wp-marker-${crypto.randomUUID()}`;
  try {
    await Deno.mkdir(`${t}/recipe`);
    await Deno.writeTextFile(
      `${t}/recipe/PKGBUILD`,
      `pkgname=sleepy\npkgver=1\npkgrel=1\narch=(any)\n` +
        `build() { echo build-started; sh -c 'sleep 300' ${marker} & wait; echo build-finished; }\n` +
        `package() { :; }\n`,
    );
    const cli = spawnCli([
      "install",
      `${t}/recipe`,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
    ]);
    await cli.waitForStderr(/^ {2}\| build-started$/);
    cli.process.kill("SIGINT");
    const { code, stderr } = await cli.finished();
    assertEquals(code, 130, stderr);
    // build() was stopped, not waited for: its last line never ran
    assert(!stderr.includes("build-finished"), stderr);
    assertEquals(
      stderr.trimEnd().split("\n").at(-1),
      "error: Building sleepy (build()) was cancelled",
    );
    const pgrep = await new Deno.Command("pgrep", { args: ["-f", marker], stdout: "piped" })
      .output();
    assertEquals(new TextDecoder().decode(pgrep.stdout), "", "no process of the build is left");
    assertEquals(
      await filesUnder(t).then((f) => f.filter((p) => !p.endsWith("/recipe/PKGBUILD"))),
      [],
    );
  } finally {
    await new Deno.Command("pkill", { args: ["-f", marker] }).output();
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("a second Ctrl-C exits 130 at once, without waiting for the cleanup", async () => {
  const t = await Deno.makeTempDir();
  const marker = `wp-marker-${crypto.randomUUID()}`;
  try {
    await Deno.mkdir(`${t}/recipe`);
    // The build ignores SIGTERM, so the first Ctrl-C's cleanup waits out its grace period.
    await Deno.writeTextFile(
      `${t}/recipe/PKGBUILD`,
      `pkgname=stubborn\npkgver=1\npkgrel=1\narch=(any)\n` +
        `build() { trap '' TERM; echo build-started; sh -c 'trap "" TERM; sleep 300' ${marker} & wait; }\n` +
        `package() { :; }\n`,
    );
    const cli = spawnCli([
      "install",
      `${t}/recipe`,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
    ]);
    await cli.waitForStderr(/^ {2}\| build-started$/);
    cli.process.kill("SIGINT");
    await cli.waitForStderr(/^cancelling install/);
    cli.process.kill("SIGINT");
    const { code, stderr } = await cli.finished();
    assertEquals(code, 130, stderr);
    assertEquals(stderr.includes("was cancelled"), false, "exited before the cleanup finished");
  } finally {
    await new Deno.Command("pkill", { args: ["-KILL", "-f", marker] }).output();
    await Deno.remove(t, { recursive: true });
  }
});
