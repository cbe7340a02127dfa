import { assert, assertEquals, assertRejects } from "../../_assert.ts";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { DownloadStalledError, NetworkError } from "../../../src/source/errors.ts";
import { classifyConnectFailure } from "../../../src/source/protocols/network_failure.ts";
import { startServer } from "../_servers.ts";
import { pkgbuildWith, recorder, withTempDir } from "../_helpers.ts";

/**
 * A host under `.invalid` (RFC 6761) whose first label is 64 characters: the
 * C library refuses to build the query, so the lookup fails on this machine
 * and no packet leaves it (checked with strace: no socket to the resolver).
 */
export const UNRESOLVABLE_HOST = `${"a".repeat(64)}.invalid`;

/** A port nothing listens on: one just released by a listener. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A TCP server that answers any connection with plain text at once: a TLS handshake with it fails. */
export function plainTextServer(): AsyncDisposable & { url: string } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const serving = (async () => {
    for await (const conn of listener) {
      await conn.write(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n\r\n")).catch(() => 0);
      conn.close();
    }
  })().catch(() => {});
  return {
    url: `https://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: async () => {
      listener.close();
      await serving;
    },
  };
}

async function fetchError(url: string): Promise<unknown> {
  try {
    await fetch(url);
  } catch (error) {
    return error;
  }
  throw new Error(`fetch of ${url} succeeded`);
}

Deno.test("classifyConnectFailure() names Deno's real DNS, refused and TLS failures", async () => {
  const dns = classifyConnectFailure(await fetchError(`http://${UNRESOLVABLE_HOST}/x`));
  assertEquals([dns.kind, dns.permanent], ["dns", true]);
  const refused = classifyConnectFailure(await fetchError(`http://127.0.0.1:${closedPort()}/x`));
  assertEquals([refused.kind, refused.permanent], ["refused", false]);
  assert(/refused/i.test(refused.detail), refused.detail);
  // TLS to a server that speaks plain HTTP: the handshake fails.
  await using plain = plainTextServer();
  const tls = classifyConnectFailure(await fetchError(`${plain.url}/x`));
  assertEquals(tls.kind, "tls");
});

Deno.test("classifyConnectFailure() keeps a temporary DNS failure retryable and others as other", () => {
  const temporary = new TypeError("fetch failed", {
    cause: new Error(
      "client error (Connect): dns error: failed to lookup address information: Temporary failure in name resolution",
    ),
  });
  assertEquals(classifyConnectFailure(temporary).kind, "dns");
  assertEquals(classifyConnectFailure(temporary).permanent, false);
  const reset = classifyConnectFailure(new TypeError("connection reset by peer"));
  assertEquals([reset.kind, reset.permanent], ["other", false]);
});

function planFor(url: string) {
  return planSources(pkgbuildWith({ source: [url], sha256sums: ["SKIP"] }));
}

Deno.test("http: an unresolvable host fails at once with DNS_FAILED naming the host", async () => {
  await withTempDir(async (cache) => {
    const { events, sink } = recorder();
    const error = await assertRejects(
      () =>
        fetchSources(planFor(`http://${UNRESOLVABLE_HOST}/w.tar.gz`), {
          cacheDir: cache,
          onEvent: sink,
          retryDelayMs: 1,
        }),
      NetworkError,
    );
    assertEquals(error.code, "DNS_FAILED");
    assertEquals(error.exitCode, 6);
    assert(
      error.message.startsWith(`Could not resolve host ${UNRESOLVABLE_HOST}`),
      error.message,
    );
    assert(error.message.endsWith("check the URL or the network"), error.message);
    assertEquals(events.filter((e) => e.type === "source.retry").length, 0);
  });
});

Deno.test("http: a refused connection is retried, then fails with CONNECTION_REFUSED", async () => {
  await withTempDir(async (cache) => {
    const { events, sink } = recorder();
    const port = closedPort();
    const error = await assertRejects(
      () =>
        fetchSources(planFor(`http://127.0.0.1:${port}/w.tar.gz`), {
          cacheDir: cache,
          onEvent: sink,
          retries: 2,
          retryDelayMs: 1,
          maxRetryDelayMs: 2,
        }),
      NetworkError,
    );
    assertEquals(error.code, "CONNECTION_REFUSED");
    assert(error.message.includes(`127.0.0.1:${port}`), error.message);
    assertEquals(events.filter((e) => e.type === "source.retry").length, 2);
  });
});

Deno.test("http: TLS to a server that does not speak it fails with TLS_FAILED", async () => {
  await using plain = plainTextServer();
  await withTempDir(async (cache) => {
    const error = await assertRejects(
      () =>
        fetchSources(planFor(`${plain.url}/x`), {
          cacheDir: cache,
          retries: 1,
          retryDelayMs: 1,
        }),
      NetworkError,
    );
    assertEquals(error.code, "TLS_FAILED");
  });
});

Deno.test("http: a server that stalls for good fails with DOWNLOAD_STALLED at the stall deadline, not after every retry", async () => {
  await using server = startServer(async (_req, reply) => {
    await reply.head(200, { "content-length": 1000 });
    await reply.raw("x".repeat(10));
    await reply.stall(60_000);
  });
  await withTempDir(async (cache) => {
    const { events, sink } = recorder();
    const error = await assertRejects(
      () =>
        fetchSources(planFor(`${server.url}/w.tar.gz`), {
          cacheDir: cache,
          onEvent: sink,
          retries: 100,
          retryDelayMs: 20,
          maxRetryDelayMs: 40,
          idleTimeoutMs: 150,
          stallDeadlineMs: 500,
        }),
      DownloadStalledError,
    );
    assertEquals(error.code, "DOWNLOAD_STALLED");
    assert(error.message.includes("no progress for 500 ms"), error.message);
    // The deadline, not the 100 retries, ended it: a handful of attempts.
    const retries = events.filter((e) => e.type === "source.retry").length;
    assert(retries >= 1 && retries < 10, `${retries} retries`);
  });
});

Deno.test("http: bytes that keep flowing reset the stall deadline", async () => {
  const chunks = 8;
  await using server = startServer(async (_req, reply) => {
    await reply.head(200, { "content-length": chunks });
    for (let i = 0; i < chunks; i++) {
      await reply.raw("y");
      await reply.stall(100); // 800 ms in all, each gap under the 300 ms deadline
    }
  });
  await withTempDir(async (cache) => {
    const [fetched] = await fetchSources(planFor(`${server.url}/slow`), {
      cacheDir: cache,
      retries: 0,
      idleTimeoutMs: 300,
      stallDeadlineMs: 300,
    });
    assertEquals(await Deno.readTextFile(fetched.path), "y".repeat(chunks));
  });
});
