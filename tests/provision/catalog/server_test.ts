import { assert, assertEquals, assertStringIncludes } from "../../_assert.ts";
import { join } from "node:path";
import { serveCatalog } from "../../../src/provision/catalog/server.ts";
import { makeTree, withTempDir } from "../_helpers.ts";

async function withCatalog(fn: (url: string, dir: string) => Promise<void>) {
  await withTempDir(async (dir) => {
    await makeTree(dir, {
      "workers/demo/worker.json": JSON.stringify({
        id: "demo",
        version: "1.0",
        pkgbuild_url: "{{CATALOG_URL}}/workers/demo/PKGBUILD",
        extra_field: { kept: true },
      }),
      "workers/demo/PKGBUILD": "pkgname=demo\nsource=('{{CATALOG_URL}}/files/demo.tar.gz')\n",
      "workers/no-recipe/worker.json": JSON.stringify({ id: "no-recipe", version: "1" }),
      "files/demo.tar.gz": "0123456789abcdefghij",
      "secret.txt": "outside files/",
    });
    await using server = serveCatalog({ dir, port: 0 });
    await fn(server.url, dir);
  });
}

Deno.test("serveCatalog() serves health, the worker list, entries and PKGBUILDs with {{CATALOG_URL}} replaced", async () => {
  await withCatalog(async (url) => {
    assertEquals(await (await fetch(`${url}/health`)).json(), {
      status: "ok",
      service: "worker-catalog",
      version: "0.1.0",
    });
    const list = await (await fetch(`${url}/workers`)).json();
    assertEquals(list.workers.map((w: { id: string }) => w.id), ["demo", "no-recipe"]);
    const entry = await (await fetch(`${url}/workers/demo`)).json();
    assertEquals(entry.pkgbuild_url, `${url}/workers/demo/PKGBUILD`);
    assertEquals(entry.extra_field, { kept: true });
    const recipe = await fetch(`${url}/workers/demo/PKGBUILD`);
    assertStringIncludes(recipe.headers.get("content-type")!, "text/plain");
    assertStringIncludes(await recipe.text(), `source=('${url}/files/demo.tar.gz')`);
  });
});

Deno.test("serveCatalog() answers 404 with an error object for unknown workers and missing PKGBUILDs", async () => {
  await withCatalog(async (url) => {
    const r1 = await fetch(`${url}/workers/nope`);
    assertEquals([r1.status, await r1.json()], [404, { error: "Worker not found" }]);
    const r2 = await fetch(`${url}/workers/no-recipe/PKGBUILD`);
    assertEquals([r2.status, await r2.json()], [404, { error: "PKGBUILD not found" }]);
    const r3 = await fetch(`${url}/workers/..%2Fsecret`);
    assertEquals(r3.status, 404);
    await r3.body?.cancel();
  });
});

Deno.test("serveCatalog() serves hosted files with ETag, Range, If-Range, If-None-Match and 416", async () => {
  await withCatalog(async (url) => {
    const full = await fetch(`${url}/files/demo.tar.gz`);
    const etag = full.headers.get("etag")!;
    assertEquals([full.status, await full.text(), full.headers.get("accept-ranges")], [
      200,
      "0123456789abcdefghij",
      "bytes",
    ]);
    const part = await fetch(`${url}/files/demo.tar.gz`, { headers: { range: "bytes=5-9" } });
    assertEquals([part.status, part.headers.get("content-range"), await part.text()], [
      206,
      "bytes 5-9/20",
      "56789",
    ]);
    const open = await fetch(`${url}/files/demo.tar.gz`, {
      headers: { range: "bytes=15-", "if-range": etag },
    });
    assertEquals([open.status, await open.text()], [206, "fghij"]);
    const suffix = await fetch(`${url}/files/demo.tar.gz`, { headers: { range: "bytes=-3" } });
    assertEquals([suffix.status, await suffix.text()], [206, "hij"]);
    const stale = await fetch(`${url}/files/demo.tar.gz`, {
      headers: { range: "bytes=15-", "if-range": '"old"' },
    });
    assertEquals([stale.status, (await stale.text()).length], [200, 20]);
    const beyond = await fetch(`${url}/files/demo.tar.gz`, { headers: { range: "bytes=20-" } });
    assertEquals([beyond.status, beyond.headers.get("content-range")], [416, "bytes */20"]);
    await beyond.body?.cancel();
    const same = await fetch(`${url}/files/demo.tar.gz`, { headers: { "if-none-match": etag } });
    assertEquals(same.status, 304);
    await same.body?.cancel();
    const head = await fetch(`${url}/files/demo.tar.gz`, { method: "HEAD" });
    assertEquals([head.status, head.headers.get("content-length")], [200, "20"]);
    await head.body?.cancel();
  });
});

Deno.test("serveCatalog() never serves a file outside files/", async () => {
  await withCatalog(async (url, dir) => {
    await Deno.symlink(join(dir, "secret.txt"), join(dir, "files/link"));
    for (
      const path of [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/link",
        "/secret.txt",
      ]
    ) {
      const r = await fetch(`${url}${path}`);
      const body = await r.text();
      assert(r.status === 404 && !body.includes("outside"), `${path}: ${r.status} ${body}`);
    }
  });
});
