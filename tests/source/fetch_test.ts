import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { CancelledError } from "../../src/errors.ts";
import { bypassesProxy, fetchSources } from "../../src/source/fetch.ts";
import { planSources } from "../../src/source/plan.ts";
import {
  ChecksumArrayInvalidError,
  ChecksumMismatchError,
  DownloadFailedError,
  SourceNotFoundError,
} from "../../src/source/errors.ts";
import { serveBytes, startServer, testBytes } from "./_servers.ts";
import { digest, pkgbuildWith, recorder, walk, withTempDir } from "./_helpers.ts";

const FILES = [1, 2, 3, 4, 5].map((i) => testBytes(64 * 1024 + i, i));

function multiPlan(base: string, count = FILES.length) {
  return planSources(pkgbuildWith({
    source: FILES.slice(0, count).map((_, i) => `${base}/f${i}.bin`),
    sha256sums: FILES.slice(0, count).map((f) => digest(f)),
  }));
}

function serveFiles() {
  return startServer(async (req, reply) => {
    await reply.stall(150); // every response takes a while: concurrency shows
    await serveBytes(req, reply, FILES[Number(req.path.match(/f(\d)/)![1])]);
  });
}

Deno.test("fetchSources() downloads in parallel, bounded by concurrency, results in plan order", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const fetched = await fetchSources(multiPlan(server.url), { cacheDir: cache, concurrency: 3 });
    assertEquals(server.maxInFlight(), 3);
    assertEquals(fetched.map((f) => f.name), ["f0.bin", "f1.bin", "f2.bin", "f3.bin", "f4.bin"]);
    for (const [i, f] of fetched.entries()) {
      assertEquals(digest(await Deno.readFile(f.path)), digest(FILES[i]));
    }
  });
});

Deno.test("fetchSources() with a warm cache makes zero requests", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    await fetchSources(multiPlan(server.url), { cacheDir: cache });
    const before = server.requests.length;
    const { events, sink } = recorder();
    const again = await fetchSources(multiPlan(server.url), { cacheDir: cache, onEvent: sink });
    assertEquals(server.requests.length, before);
    assert(again.every((f) => f.fromCache));
    assertEquals(events.filter((e) => e.type === "source.cached").length, FILES.length);
    assertEquals(events.filter((e) => e.type === "source.start").length, 0);
  });
});

Deno.test("fetchSources() re-fetches a cache file that was corrupted on disk", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const [first] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    await Deno.writeTextFile(first.path, "corrupt");
    const { events, sink } = recorder();
    const [again] = await fetchSources(multiPlan(server.url, 1), {
      cacheDir: cache,
      onEvent: sink,
    });
    assertEquals(again.fromCache, false);
    assertEquals(digest(await Deno.readFile(again.path)), digest(FILES[0]));
    assert(events.some((e) => e.type === "source.warning"));
  });
});

Deno.test("fetchSources() cancelled mid-download keeps the .part, and the next run transfers only the rest", async () => {
  const big = testBytes(1 << 20, 9);
  const controller = new AbortController();
  let sent = 0;
  let first = true;
  await using server = startServer(async (req, reply) => {
    if (first) {
      first = false;
      await reply.head(200, { "content-length": big.length, etag: `"x"` });
      await reply.raw(big.subarray(0, 300_000));
      sent += 300_000;
      setTimeout(() => controller.abort(), 100); // cancel while the body is stalled
      await reply.stall(3_000);
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers["range"] ?? "")?.[1] ?? 0);
    sent += big.length - start;
    await serveBytes(req, reply, big, { etag: `"x"` });
  });
  await withTempDir(async (cache) => {
    const plan = planSources(pkgbuildWith({
      source: [`${server.url}/big.bin`],
      sha256sums: [digest(big)],
    }));
    const error = await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, signal: controller.signal }),
      CancelledError,
    );
    assertEquals(error.exitCode, 130);
    const parts = (await walk(cache)).filter((p) => p.endsWith(".part"));
    assertEquals(parts.length, 1);
    assertEquals((await Deno.stat(join(cache, parts[0]))).size, 300_000);
    const { events, sink } = recorder();
    const [fetched] = await fetchSources(plan, { cacheDir: cache, onEvent: sink });
    assertEquals(digest(await Deno.readFile(fetched.path)), digest(big));
    assertEquals(sent, big.length, "the second run sent only the missing bytes");
    assertEquals(server.requests.at(-1)!.headers["range"], "bytes=300000-");
    assert(events.some((e) => e.type === "source.resume" && e.offset === 300_000));
    assertEquals((await walk(cache)).filter((p) => p.includes(".part")), []);
  });
});

Deno.test("fetchSources() cancelled mid-download without a validator leaves no .part", async () => {
  const big = testBytes(1 << 20, 9);
  const controller = new AbortController();
  await using server = startServer(async (_req, reply) => {
    await reply.head(200, { "content-length": big.length });
    await reply.raw(big.subarray(0, 300_000));
    setTimeout(() => controller.abort(), 100);
    await reply.stall(3_000);
  });
  await withTempDir(async (cache) => {
    const plan = planSources(pkgbuildWith({
      source: [`${server.url}/big.bin`],
      sha256sums: [digest(big)],
    }));
    await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, signal: controller.signal }),
      CancelledError,
    );
    assertEquals((await walk(cache)).filter((p) => p.includes(".part")), []);
  });
});

Deno.test("fetchSources() refuses an already aborted signal before any request", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    await assertRejects(
      () => fetchSources(multiPlan(server.url), { cacheDir: cache, signal: AbortSignal.abort() }),
      CancelledError,
    );
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("fetchSources() refuses a plan with integrity problems", async () => {
  const plan = planSources(pkgbuildWith({ source: ["a", "b"], sha256sums: ["SKIP"] }));
  await assertRejects(
    () => fetchSources(plan, { cacheDir: "/nonexistent" }),
    ChecksumArrayInvalidError,
    "sha256sums has 1 entries but source has 2",
  );
});

Deno.test("fetchSources() verifies local sources in the recipe directory without copying them", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await Deno.writeTextFile(join(recipe, "fix.patch"), "patch\n");
    const plan = planSources(pkgbuildWith({
      source: ["fix.patch", "renamed.txt::fix.patch"],
      sha256sums: [digest("patch\n"), "SKIP"],
    }));
    await assertRejects(
      () => fetchSources(plan, { cacheDir: join(dir, "cache"), recipeDir: recipe }),
      SourceNotFoundError,
      "renamed.txt",
    );
    const ok = planSources(
      pkgbuildWith({ source: ["fix.patch"], md5sums: [digest("patch\n", "md5")] }),
    );
    const [fetched] = await fetchSources(ok, { cacheDir: join(dir, "cache"), recipeDir: recipe });
    assertEquals(fetched.path, join(recipe, "fix.patch"));
    const bad = planSources(pkgbuildWith({ source: ["fix.patch"], md5sums: ["0".repeat(32)] }));
    await assertRejects(
      () => fetchSources(bad, { cacheDir: join(dir, "cache"), recipeDir: recipe }),
      ChecksumMismatchError,
      "md5 mismatch for fix.patch",
    );
  });
});

Deno.test("fetchSources() copies file:// sources into the cache, verified", async () => {
  await withTempDir(async (dir) => {
    const from = join(dir, "upstream", "x.tar");
    await Deno.mkdir(join(dir, "upstream"));
    await Deno.writeFile(from, FILES[0]);
    const plan = planSources(pkgbuildWith({
      source: [`file://${from}`],
      b2sums: [digest(FILES[0], "blake2b512")],
    }));
    const [fetched] = await fetchSources(plan, { cacheDir: join(dir, "cache") });
    assert(fetched.path.startsWith(join(dir, "cache")));
    assertEquals(digest(await Deno.readFile(fetched.path)), digest(FILES[0]));
  });
});

Deno.test("fetchSources() offline uses the cache and fails for anything missing", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    await assertRejects(
      () => fetchSources(multiPlan(server.url, 1), { cacheDir: cache, offline: true }),
      DownloadFailedError,
      "offline",
    );
    assertEquals(server.requests.length, 0);
    await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    const [hit] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache, offline: true });
    assertEquals(hit.fromCache, true);
  });
});

Deno.test("fetchSources() keeps SKIP sources by name and reuses them like makepkg's SRCDEST", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const plan = planSources(
      pkgbuildWith({ source: [`${server.url}/f0.bin`], sha256sums: ["SKIP"] }),
    );
    const [first] = await fetchSources(plan, { cacheDir: cache });
    assert(first.path.endsWith("/f0.bin"));
    const [second] = await fetchSources(plan, { cacheDir: cache });
    assertEquals(second.fromCache, true);
    assertEquals(server.requests.length, 1);
  });
});

Deno.test("fetchSources() run twice at once on one cache downloads each file once", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const [a, b] = await Promise.all([
      fetchSources(multiPlan(server.url, 2), { cacheDir: cache }),
      fetchSources(multiPlan(server.url, 2), { cacheDir: cache }),
    ]);
    assertEquals(a.map((f) => f.path), b.map((f) => f.path));
    assertEquals(server.requests.length, 2);
  });
});

Deno.test("bypassesProxy() matches hosts, domain suffixes and *", () => {
  assert(bypassesProxy("127.0.0.1", "localhost,127.0.0.1"));
  assert(bypassesProxy("a.example.org", ".example.org"));
  assert(bypassesProxy("example.org", "example.org"));
  assert(bypassesProxy("x.y", "*"));
  assert(!bypassesProxy("example.org.evil", "example.org"));
  assert(!bypassesProxy("host", undefined));
});

/** Overwrites the first byte of `path` in place, keeping its size, inode and (when `keepMtime`) mtime. */
async function corruptInPlace(path: string, keepMtime: boolean): Promise<void> {
  const before = await Deno.stat(path);
  using file = await Deno.open(path, { write: true });
  const first = (await Deno.readFile(path))[0];
  await file.write(new Uint8Array([first ^ 0xff]));
  if (keepMtime) await file.utime(before.atime!, before.mtime!);
}

Deno.test("fetchSources() trusts the digests recorded for an unchanged cache file; 'deep' re-hashes", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const [first] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    assert(await Deno.stat(`${first.path}.verified`), "the digests are recorded beside the file");
    // Same size, inode and mtime: the recorded digests are trusted, the file is not read.
    await corruptInPlace(first.path, true);
    const [trusted] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    assertEquals(trusted.fromCache, true);
    // A deep verification re-hashes, finds the change and fetches the file again.
    const [deep] = await fetchSources(multiPlan(server.url, 1), {
      cacheDir: cache,
      verifyCache: "deep",
    });
    assertEquals(deep.fromCache, false);
    assertEquals(digest(await Deno.readFile(deep.path)), digest(FILES[0]));
  });
});

Deno.test("fetchSources() re-hashes a cache file whose mtime changed since its digests were recorded", async () => {
  await using server = serveFiles();
  await withTempDir(async (cache) => {
    const [first] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    await corruptInPlace(first.path, false);
    await Deno.utime(first.path, 1, 1);
    const [again] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    assertEquals(again.fromCache, false);
    assertEquals(digest(await Deno.readFile(again.path)), digest(FILES[0]));
    // An intact file re-hashed once is trusted from then on.
    await Deno.utime(again.path, 2, 2);
    const [rehashed] = await fetchSources(multiPlan(server.url, 1), { cacheDir: cache });
    assertEquals(rehashed.fromCache, true);
    const stamp = JSON.parse(await Deno.readTextFile(`${again.path}.verified`));
    assertEquals(stamp.mtimeMs, 2000);
  });
});
