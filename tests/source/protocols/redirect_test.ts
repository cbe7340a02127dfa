import { assert, assertEquals, assertRejects, assertThrows } from "../../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { RedirectRefusedError } from "../../../src/source/errors.ts";
import { checkRedirect } from "../../../src/source/protocols/redirect_policy.ts";
import { serveBytes, startServer } from "../_servers.ts";
import { digest, pkgbuildWith, walk, withTempDir } from "../_helpers.ts";

const CANARY = "canary: this local file must never be read into the cache\n";

Deno.test("checkRedirect() follows http(s) to http(s) and resolves relative locations", () => {
  const from = new URL("http://a.test/dir/x.tar.gz");
  assertEquals(checkRedirect(from.href, from, "/y").href, "http://a.test/y");
  assertEquals(checkRedirect(from.href, from, "z").href, "http://a.test/dir/z");
  assertEquals(checkRedirect(from.href, from, "https://b.test/x").href, "https://b.test/x");
  const secure = new URL("https://a.test/x");
  assertEquals(checkRedirect(secure.href, secure, "https://c.test/x").href, "https://c.test/x");
});

Deno.test("checkRedirect() refuses every other scheme, naming the target", () => {
  const from = new URL("https://a.test/x");
  for (
    const location of [
      "file:///etc/shadow",
      "FILE:///etc/passwd",
      "ftp://a.test/x",
      "data:text/plain,hello",
      "javascript:alert(1)",
      "gopher://a.test/x",
      "ws://a.test/x",
      "blob:https://a.test/x",
    ]
  ) {
    const error = assertThrows(
      () => checkRedirect(from.href, from, location),
      RedirectRefusedError,
    );
    assertEquals(error.code, "REDIRECT_REFUSED");
    assert(error.message.includes(from.href), error.message);
    assert(error.message.includes(location.toLowerCase().split(":")[0]), error.message);
  }
});

Deno.test("checkRedirect() refuses a downgrade from https to http", () => {
  const from = new URL("https://a.test/x");
  assertThrows(
    () => checkRedirect(from.href, from, "http://a.test/x"),
    RedirectRefusedError,
    "a downgrade from https to http",
  );
});

Deno.test("checkRedirect() refuses a location with credentials and one that is not a URL", () => {
  const from = new URL("http://a.test/x");
  const error = assertThrows(
    () => checkRedirect(from.href, from, "http://user:secret@b.test/x"),
    RedirectRefusedError,
    "credentials",
  );
  assert(!error.message.includes("secret"), error.message);
  assertThrows(() => checkRedirect(from.href, from, "http://[::1"), RedirectRefusedError);
});

/** A server answering every request with a redirect to `location`. */
function redirectingServer(location: string) {
  return startServer(async (_req, reply) => await reply.send(302, "", { location }));
}

Deno.test("http: a redirect to file:// is refused and the local file is never read into the cache", async () => {
  await withTempDir(async (dir) => {
    const canary = join(dir, "canary.txt");
    await Deno.writeTextFile(canary, CANARY);
    await using server = redirectingServer(`file://${canary}`);
    const cache = join(dir, "cache");
    const plan = planSources(pkgbuildWith({
      source: [`${server.url}/w.tar.gz`],
      sha256sums: [digest(CANARY)], // even a recipe pinning the canary's sum gets nothing
    }));
    const error = await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, retries: 0 }),
      RedirectRefusedError,
    );
    assert(error.message.includes(`file://${canary}`), error.message);
    assertEquals(server.requests.length, 1);
    for (const rel of await walk(cache)) {
      const info = await Deno.stat(join(cache, rel));
      if (info.isFile) assert(!(await Deno.readTextFile(join(cache, rel))).includes("canary"));
    }
  });
});

Deno.test("http: redirects to ftp:// and data: are refused without a retry", async () => {
  for (const location of ["ftp://127.0.0.1/x", "data:application/octet-stream;base64,AAAA"]) {
    await using server = redirectingServer(location);
    await withTempDir(async (cache) => {
      const plan = planSources(pkgbuildWith({ source: [`${server.url}/x`], sha256sums: ["SKIP"] }));
      await assertRejects(
        () => fetchSources(plan, { cacheDir: cache, retryDelayMs: 1 }),
        RedirectRefusedError,
        location.split(":")[0],
      );
      assertEquals(server.requests.length, 1);
    });
  }
});

Deno.test("http: a redirect chain through another http server is still followed", async () => {
  const body = new TextEncoder().encode("payload\n");
  await using target = startServer(async (req, reply) => await serveBytes(req, reply, body));
  await using server = redirectingServer(`${target.url}/final`);
  await withTempDir(async (cache) => {
    const plan = planSources(pkgbuildWith({
      source: [`${server.url}/x`],
      sha256sums: [digest(body)],
    }));
    const [fetched] = await fetchSources(plan, { cacheDir: cache });
    assertEquals(await Deno.readFile(fetched.path), body);
  });
});
