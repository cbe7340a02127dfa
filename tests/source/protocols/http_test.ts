import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "../../_assert.ts";
import { join } from "node:path";
import { type FetchOptions, fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { ChecksumMismatchError, DownloadFailedError } from "../../../src/source/errors.ts";
import { serveBytes, startServer, testBytes } from "../_servers.ts";
import { digest, pkgbuildWith, recorder, walk, withTempDir } from "../_helpers.ts";

const BODY = testBytes(256 * 1024, 42);
const HALF = BODY.length / 2;
const SUM = digest(BODY);

const fast: Partial<FetchOptions> = { retryDelayMs: 5, maxRetryDelayMs: 20, retries: 4 };

function planFor(url: string, sum = SUM) {
  return planSources(pkgbuildWith({ source: [url], sha256sums: [sum] }));
}

async function fetchOne(url: string, cacheDir: string, options: Partial<FetchOptions> = {}) {
  const { events, sink } = recorder();
  const [fetched] = await fetchSources(planFor(url, (options as { sum?: string }).sum), {
    cacheDir,
    onEvent: sink,
    ...fast,
    ...options,
  });
  return { fetched, events };
}

async function assertCachedBody(path: string): Promise<void> {
  assertEquals(digest(await Deno.readFile(path)), SUM);
}

Deno.test("http: a connection cut half-way resumes with Range and If-Range and the file verifies", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": BODY.length, etag: `"v1"` });
      await reply.raw(BODY.subarray(0, HALF));
      return; // connection closes: truncated
    }
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched, events } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    assertEquals(fetched.fromCache, false);
    assertEquals(server.requests.length, 2);
    assertEquals(server.requests[1].headers["range"], `bytes=${HALF}-`);
    assertEquals(server.requests[1].headers["if-range"], `"v1"`);
    const retry = events.find((e) => e.type === "source.retry");
    assert(retry && retry.type === "source.retry" && retry.attempt === 1);
    const last = events.filter((e) => e.type === "source.progress").at(-1);
    assert(last && last.type === "source.progress" && last.bytes === BODY.length);
    assertEquals(last.total, BODY.length);
    assert(events.some((e) => e.type === "source.verified"));
  });
});

Deno.test("http: a server that ignores Range (answers 200) restarts the file cleanly", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": BODY.length, etag: `"v1"` });
      await reply.raw(BODY.subarray(0, HALF));
      return;
    }
    await serveBytes(req, reply, BODY, { ignoreRange: true });
  });
  await withTempDir(async (cache) => {
    const { fetched } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    assertEquals(server.requests[1].headers["range"], `bytes=${HALF}-`);
  });
});

Deno.test("http: a 416 answer to a resume restarts from zero", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": BODY.length, etag: `"v1"` });
      await reply.raw(BODY.subarray(0, HALF));
      return;
    }
    if (req.headers["range"]) {
      await reply.send(416, "", { "content-range": `bytes */${BODY.length}` });
      return;
    }
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    assertEquals(server.requests.map((r) => r.headers["range"] ?? "none"), [
      "none",
      `bytes=${HALF}-`,
      "none",
    ]);
  });
});

Deno.test("http: 500 and 503 are retried with backoff until the server succeeds", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) return await reply.send(500, "boom");
    if (n === 2) return await reply.send(503, "busy");
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched, events } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    const retries = events.filter((e) => e.type === "source.retry");
    assertEquals(retries.map((e) => e.type === "source.retry" && e.reason), [
      "server answered 500",
      "server answered 503",
    ]);
    assert(retries.every((e) => e.type === "source.retry" && e.delayMs <= 20));
  });
});

Deno.test("http: a 404 fails at once with DOWNLOAD_FAILED and keeps nothing", async () => {
  await using server = startServer(async (_req, reply) => await reply.send(404, "no"));
  await withTempDir(async (cache) => {
    const error = await assertRejects(
      () => fetchOne(`${server.url}/w.tar.gz`, cache),
      DownloadFailedError,
      "404",
    );
    assertEquals(error.code, "DOWNLOAD_FAILED");
    assertEquals(error.exitCode, 6);
    assertEquals(server.requests.length, 1);
    assertEquals((await walk(cache)).filter((p) => p.endsWith(".part")), []);
  });
});

Deno.test("http: truncation without Content-Length (chunked body cut) is retried and resumed", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "transfer-encoding": "chunked", etag: `"v1"` });
      await reply.raw(`${HALF.toString(16)}\r\n`);
      await reply.raw(BODY.subarray(0, HALF));
      await reply.raw("\r\n");
      return; // no terminating 0-chunk: the body is incomplete
    }
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    assertEquals(server.requests.length, 2);
    assertEquals(server.requests[1].headers["range"], `bytes=${HALF}-`);
  });
});

Deno.test("http: without Content-Length a clean close ends a complete body", async () => {
  await using server = startServer(async (_req, reply) => {
    await reply.head(200, {});
    await reply.raw(BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched } = await fetchOne(`${server.url}/w.tar.gz`, cache);
    await assertCachedBody(fetched.path);
    assertEquals(server.requests.length, 1);
  });
});

Deno.test("http: a stalled body hits the idle timeout and the retry resumes", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": BODY.length, etag: `"v1"` });
      await reply.raw(BODY.subarray(0, HALF));
      await reply.stall(10_000);
      return;
    }
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched, events } = await fetchOne(`${server.url}/w.tar.gz`, cache, {
      idleTimeoutMs: 300,
    });
    await assertCachedBody(fetched.path);
    const retry = events.find((e) => e.type === "source.retry");
    assert(retry?.type === "source.retry");
    assertStringIncludes(retry.reason, "no data for 300 ms");
    assertEquals(server.requests[1].headers["range"], `bytes=${HALF}-`);
  });
});

Deno.test("http: a server that never answers hits the connect timeout and is retried", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) return await reply.stall(10_000);
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched, events } = await fetchOne(`${server.url}/w.tar.gz`, cache, {
      connectTimeoutMs: 300,
    });
    await assertCachedBody(fetched.path);
    const retry = events.find((e) => e.type === "source.retry");
    assert(retry?.type === "source.retry");
    assertStringIncludes(retry.reason, "no response within 300 ms");
  });
});

Deno.test("http: a redirect loop fails with DOWNLOAD_FAILED naming the loop", async () => {
  await using server = startServer(async (req, reply) => {
    await reply.send(302, "", { location: req.path === "/a" ? "/b" : "/a" });
  });
  await withTempDir(async (cache) => {
    await assertRejects(
      () => fetchOne(`${server.url}/a`, cache),
      DownloadFailedError,
      "redirect loop",
    );
    assertEquals(server.requests.map((r) => r.path), ["/a", "/b"]);
  });
});

Deno.test("http: redirects are followed up to maxRedirects", async () => {
  await using server = startServer(async (req, reply) => {
    const hop = Number(req.path.slice(1));
    if (hop < 3) return await reply.send(301, "", { location: `/${hop + 1}` });
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const { fetched } = await fetchOne(`${server.url}/0`, cache, { maxRedirects: 3 });
    await assertCachedBody(fetched.path);
    await assertRejects(
      () => fetchOne(`${server.url}/0`, join(cache, "2"), { maxRedirects: 2 }),
      DownloadFailedError,
      "more than 2 redirects",
    );
  });
});

Deno.test("http: a wrong checksum fails with CHECKSUM_MISMATCH and keeps nothing", async () => {
  await using server = startServer(async (req, reply) => await serveBytes(req, reply, BODY));
  await withTempDir(async (cache) => {
    const wrong = "0".repeat(64);
    const error = await assertRejects(
      () => fetchOne(`${server.url}/w.tar.gz`, cache, { sum: wrong } as Partial<FetchOptions>),
      ChecksumMismatchError,
    );
    assertEquals(error.code, "CHECKSUM_MISMATCH");
    assertEquals(error.exitCode, 5);
    assertEquals(
      error.message,
      `sha256 mismatch for w.tar.gz: expected ${wrong}, got ${SUM}; the download was discarded`,
    );
    assertEquals(
      (await walk(cache)).filter((p) => !p.endsWith(".lock") && !p.match(/^[^.]*$/)),
      [],
    );
    assertEquals((await walk(cache)).filter((p) => p.includes(SUM) || p.includes(wrong)), []);
  });
});

Deno.test("http: a changed upstream file under the same name never poisons the cache", async () => {
  let body = BODY;
  await using server = startServer(async (req, reply) =>
    await serveBytes(req, reply, body, { etag: `"${digest(body).slice(0, 8)}"` })
  );
  await withTempDir(async (cache) => {
    const url = `${server.url}/w.tar.gz`;
    const first = await fetchOne(url, cache);
    await assertCachedBody(first.fetched.path);
    // Upstream replaces the file; a recipe pinning the old sum still gets the old content.
    body = testBytes(BODY.length, 7);
    const again = await fetchOne(url, cache);
    assertEquals(again.fetched.fromCache, true);
    await assertCachedBody(again.fetched.path);
    // A fresh cache with the old pin sees the new bytes and refuses them.
    await assertRejects(() => fetchOne(url, join(cache, "fresh")), ChecksumMismatchError);
    // The recipe updated to the new sum gets the new file in its own slot.
    const updated = await fetchOne(url, cache, { sum: digest(body) } as Partial<FetchOptions>);
    assertEquals(digest(await Deno.readFile(updated.fetched.path)), digest(body));
    await assertCachedBody(first.fetched.path);
  });
});

Deno.test("http: a .part left by a failed run is resumed by the next run", async () => {
  let failing = true;
  await using server = startServer(async (req, reply) => {
    if (failing) {
      await reply.head(200, { "content-length": BODY.length, etag: `"v1"` });
      await reply.raw(BODY.subarray(0, HALF));
      return;
    }
    await serveBytes(req, reply, BODY);
  });
  await withTempDir(async (cache) => {
    const url = `${server.url}/w.tar.gz`;
    await assertRejects(
      () => fetchOne(url, cache, { retries: 0 }),
      DownloadFailedError,
      "131072",
    );
    assertEquals((await walk(cache)).filter((p) => p.endsWith(".part")).length, 1);
    failing = false;
    const { fetched } = await fetchOne(url, cache);
    await assertCachedBody(fetched.path);
    assertEquals(server.requests.at(-1)?.headers["range"], `bytes=${HALF}-`);
    assertEquals((await walk(cache)).filter((p) => p.includes(".part")), []);
  });
});

Deno.test("http: repeated truncation gives up after the retries with DOWNLOAD_FAILED", async () => {
  await using server = startServer(async (_req, reply) => {
    await reply.head(200, { "content-length": BODY.length });
    await reply.raw(BODY.subarray(0, 1000));
  });
  await withTempDir(async (cache) => {
    const error = await assertRejects(
      () => fetchOne(`${server.url}/w.tar.gz`, cache, { retries: 2 }),
      DownloadFailedError,
      "after 3 attempts",
    );
    assertInstanceOf(error, DownloadFailedError);
    assertEquals(server.requests.length, 3);
  });
});

Deno.test("http: a proxy is used when given and bypassed for no_proxy hosts", async () => {
  await using origin = startServer(async (req, reply) => await serveBytes(req, reply, BODY));
  await using proxy = startServer(async (req, reply) => await serveBytes(req, reply, BODY));
  await withTempDir(async (cache) => {
    const url = `${origin.url}/w.tar.gz`;
    await fetchOne(url, cache, { proxy: { http: proxy.url } });
    assertEquals(proxy.requests.map((r) => r.target), [url]);
    assertEquals(origin.requests.length, 0);
    await fetchOne(url, join(cache, "2"), {
      proxy: { http: proxy.url, noProxy: "localhost,127.0.0.1" },
    });
    assertEquals(origin.requests.length, 1);
    assertEquals(proxy.requests.length, 1);
  });
});
