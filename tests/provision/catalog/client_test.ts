import { assert, assertEquals, assertRejects, assertStringIncludes } from "../../_assert.ts";
import { join } from "node:path";
import {
  CancelledError,
  CatalogBadAnswerError,
  CatalogUnreachableError,
  WorkerNotFoundError,
} from "../../../mod.ts";
import { openCatalog } from "../../../src/provision/catalog/client.ts";
import { serveCatalog } from "../../../src/provision/catalog/server.ts";
import { makeTree, withTempDir } from "../_helpers.ts";
import { UnsafeWorkerIdError } from "../../../src/boundary/errors.ts";

const ENTRY = {
  id: "demo",
  name: "Demo",
  version: "1.0.0",
  platforms: ["linux"],
  architectures: ["x86_64", "aarch64"],
  worker_type: "cpu",
  depends: [],
  binary_name: "demo",
  max_context_length: 4096,
  future_field: { anything: [1, 2] },
};

/** A server answering every request with `handler`, for fault injection. */
async function withServer(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (url: string) => Promise<void>,
) {
  const controller = new AbortController();
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    signal: controller.signal,
    onListen() {},
  }, handler);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    controller.abort();
    await server.finished;
  }
}

async function catalogDir(dir: string) {
  await makeTree(dir, {
    "workers/demo/worker.json": JSON.stringify({
      ...ENTRY,
      pkgbuild_url: "{{CATALOG_URL}}/workers/demo/PKGBUILD",
    }),
    "workers/demo/PKGBUILD": "pkgname=demo\nsource=('{{CATALOG_URL}}/files/a.tar.gz')\n",
    "workers/bare/worker.json": JSON.stringify({ id: "bare", version: "2" }),
  });
}

Deno.test("HttpCatalog lists, gets and fetches recipes from a real catalog server, keeping unknown fields", async () => {
  await withTempDir(async (dir) => {
    await catalogDir(dir);
    await using server = serveCatalog({ dir, port: 0 });
    const catalog = openCatalog(server.url + "/");
    assertEquals((await catalog.health()).status, "ok");
    assertEquals((await catalog.list()).map((e) => e.id), ["bare", "demo"]);
    const entry = await catalog.get("demo");
    assertEquals(entry.future_field, { anything: [1, 2] });
    assertEquals(entry.max_context_length, 4096);
    assertEquals(entry.pkgbuild_url, `${server.url}/workers/demo/PKGBUILD`);
    assertStringIncludes(await catalog.recipe("demo"), `${server.url}/files/a.tar.gz`);
  });
});

Deno.test("HttpCatalog turns a 404 {error} into WorkerNotFoundError for entries and PKGBUILDs", async () => {
  await withTempDir(async (dir) => {
    await catalogDir(dir);
    await using server = serveCatalog({ dir, port: 0 });
    const catalog = openCatalog(server.url);
    const e1 = await assertRejects(() => catalog.get("nope"), WorkerNotFoundError);
    assertEquals([e1.message, e1.exitCode], [
      `Worker nope was not found in catalog ${server.url}`,
      3,
    ]);
    // A listed worker whose recipe the catalog cannot serve is the catalog's fault.
    const e2 = await assertRejects(() => catalog.recipe("bare"), CatalogBadAnswerError);
    assertStringIncludes(e2.message, "HTTP 404: PKGBUILD not found");
    assertStringIncludes(e2.hint ?? "", "a fault of the catalog");
    assertEquals(e2.exitCode, 13);
  });
});

Deno.test("HttpCatalog and DirectoryCatalog suggest the closest listed id for an unknown worker", async () => {
  await withTempDir(async (dir) => {
    await catalogDir(dir);
    await using server = serveCatalog({ dir, port: 0 });
    for (const catalog of [openCatalog(server.url), openCatalog(dir)]) {
      const near = await assertRejects(() => catalog.get("demp"), WorkerNotFoundError);
      assertEquals(near.hint, "did you mean demo? (list the available workers with `search`)");
      const far = await assertRejects(() => catalog.get("zzzzzz"), WorkerNotFoundError);
      assertEquals(far.hint, "list the available workers with `search`");
    }
  });
});

Deno.test("HttpCatalog says a 5xx is the catalog's own failure, with its error text", async () => {
  await withServer(
    () => Response.json({ error: "Failed to fetch PKGBUILD" }, { status: 500 }),
    async (url) => {
      const error = await assertRejects(() => openCatalog(url).recipe("x"), CatalogBadAnswerError);
      assertStringIncludes(
        error.message,
        "the catalog failed with HTTP 500: Failed to fetch PKGBUILD",
      );
      assertStringIncludes(error.hint ?? "", "retry later");
    },
  );
});

Deno.test("HttpCatalog reports an HTML page instead of JSON clearly", async () => {
  await withServer(
    () =>
      new Response("<!DOCTYPE html><html>Welcome to nginx</html>", {
        headers: { "content-type": "text/html" },
      }),
    async (url) => {
      const error = await assertRejects(() => openCatalog(url).list(), CatalogBadAnswerError);
      assertStringIncludes(error.message, "got an HTML page instead of JSON");
      assertEquals(error.exitCode, 13);
      await assertRejects(
        () => openCatalog(url).recipe("x"),
        CatalogBadAnswerError,
        "HTML page instead of a PKGBUILD",
      );
    },
  );
});

Deno.test("HttpCatalog reports answers of the wrong shape, naming the field", async () => {
  await withServer((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/workers") return Response.json({ items: [] });
    if (path === "/workers/a") return Response.json({ id: "a", version: 3, platforms: "linux" });
    if (path === "/workers/b") return Response.json({ id: "other", version: "1" });
    if (path === "/health") return Response.json(["ok"]);
    return new Response("{not json", { headers: { "content-type": "application/json" } });
  }, async (url) => {
    const c = openCatalog(url);
    await assertRejects(() => c.list(), CatalogBadAnswerError, `expected {"workers":[...]}`);
    const e = await assertRejects(() => c.get("a"), CatalogBadAnswerError);
    assertStringIncludes(e.message, "`version` must be a string");
    assertStringIncludes(e.message, "`platforms` must be an array of strings");
    await assertRejects(() => c.get("b"), CatalogBadAnswerError, "asked for b, got entry other");
    await assertRejects(() => c.health(), CatalogBadAnswerError, `expected {"status":...}`);
    await assertRejects(() => c.get("c"), CatalogBadAnswerError, "invalid JSON");
  });
});

Deno.test("HttpCatalog reports 5xx with the status and the catalog's error text", async () => {
  await withServer(
    () => Response.json({ error: "database is down" }, { status: 503 }),
    async (url) => {
      const error = await assertRejects(() => openCatalog(url).get("demo"), CatalogBadAnswerError);
      assertStringIncludes(error.message, "HTTP 503");
      assertStringIncludes(error.message, "database is down");
      assertEquals(error.status, 503);
    },
  );
});

Deno.test("HttpCatalog reports an unreachable catalog and one that never answers", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = listener.addr.port;
  listener.close();
  const down = await assertRejects(
    () => openCatalog(`http://127.0.0.1:${port}`).list(),
    CatalogUnreachableError,
  );
  assertStringIncludes(down.message, `Catalog http://127.0.0.1:${port} is unreachable`);
  assertStringIncludes(down.hint!, "WORKER_CATALOG_URL");
  await withServer(
    () => new Promise<Response>((r) => setTimeout(() => r(Response.json({})), 2000)),
    async (url) => {
      const slow = await assertRejects(
        () => openCatalog(url, { timeoutMs: 100 }).list(),
        CatalogUnreachableError,
      );
      assertStringIncludes(slow.message, "no answer within 100 ms");
    },
  );
});

Deno.test("HttpCatalog refuses answers over its size limit and stops at cancellation", async () => {
  await withServer(() => new Response("x".repeat(5000)), async (url) => {
    const c = openCatalog(url, { maxRecipeBytes: 1000, maxJsonBytes: 1000 });
    await assertRejects(
      () => c.recipe("demo"),
      CatalogBadAnswerError,
      "more than the 1000 allowed",
    );
    const controller = new AbortController();
    controller.abort();
    await assertRejects(() => c.list({ signal: controller.signal }), CancelledError);
  });
});

Deno.test("DirectoryCatalog reads the same format and substitutes its file:// URL", async () => {
  await withTempDir(async (dir) => {
    await catalogDir(dir);
    const catalog = openCatalog(dir);
    assertEquals((await catalog.list()).map((e) => e.id), ["bare", "demo"]);
    const entry = await catalog.get("demo");
    assertEquals(entry.future_field, { anything: [1, 2] });
    assertEquals(entry.pkgbuild_url, `file://${dir}/workers/demo/PKGBUILD`);
    assertStringIncludes(await catalog.recipe("demo"), `file://${dir}/files/a.tar.gz`);
    assertEquals(catalog.recipeDir?.("demo"), join(dir, "workers/demo"));
    await assertRejects(() => catalog.get("nope"), WorkerNotFoundError);
    await assertRejects(() => catalog.recipe("bare"), WorkerNotFoundError);
    // An id that would climb out of the catalog is refused by the one boundary check (exit 20).
    const escape = await assertRejects(() => catalog.get("../etc"), UnsafeWorkerIdError);
    assertEquals(escape.exitCode, 20);
    const missing = await assertRejects(
      () => openCatalog(join(dir, "nowhere")).list(),
      CatalogUnreachableError,
    );
    assert(missing.message.includes("has no workers/ directory"));
  });
});
