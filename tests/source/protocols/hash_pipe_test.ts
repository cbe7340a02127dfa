import { assertEquals, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { MultiHasher } from "../../../src/source/integrity.ts";
import { HashPipe } from "../../../src/source/protocols/_hash_pipe.ts";
import { serveBytes, startServer, testBytes } from "../_servers.ts";
import { digest, pkgbuildWith, withTempDir } from "../_helpers.ts";

/** Larger than the Content-Length from which a download hashes on the worker (32 MiB). */
const LARGE = testBytes((32 << 20) + 12345, 7);
const LARGE_SUM = digest(LARGE);

function referenceDigests(bytes: Uint8Array) {
  const hasher = new MultiHasher(["sha256", "md5", "ck"]);
  hasher.update(bytes);
  return hasher.digest();
}

Deno.test("HashPipe appends and hashes chunks of any size exactly like an inline hasher", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    await Deno.writeFile(path, new Uint8Array());
    const pipe = HashPipe.open(path, ["sha256", "md5", "ck"])!;
    try {
      const data = testBytes(5 * (1 << 20) + 777, 3);
      const sizes = [1, 511, 65536, 1 << 20, 3 << 20, 17];
      let at = 0;
      for (let i = 0; at < data.length; i++) {
        const n = Math.min(sizes[i % sizes.length], data.length - at);
        await pipe.write(data.subarray(at, at + n));
        at += n;
      }
      assertEquals(await pipe.digest(), referenceDigests(data));
      assertEquals(digest(await Deno.readFile(path)), digest(data));
    } finally {
      pipe.close();
    }
  });
});

Deno.test("HashPipe.restart() after emptying the file hashes only what follows", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    await Deno.writeFile(path, new Uint8Array());
    const pipe = HashPipe.open(path, ["sha256"])!;
    try {
      await pipe.write(testBytes(3 << 20, 1));
      await pipe.flush();
      await Deno.writeFile(path, new Uint8Array());
      pipe.restart();
      const after = testBytes((2 << 20) + 5, 2);
      await pipe.write(after);
      assertEquals((await pipe.digest()).sha256, digest(after));
      assertEquals(digest(await Deno.readFile(path)), digest(after));
    } finally {
      pipe.close();
    }
  });
});

Deno.test("HashPipe reports a write failure of the worker", async () => {
  await withTempDir(async (dir) => {
    const pipe = HashPipe.open(join(dir, "missing", "out.part"), ["sha256"])!;
    try {
      await assertRejects(async () => {
        await pipe.write(testBytes(2 << 20, 1));
        await pipe.flush();
      });
    } finally {
      pipe.close();
    }
  });
});

async function fetchLarge(url: string, cacheDir: string) {
  const plan = planSources(pkgbuildWith({ source: [url], sha256sums: [LARGE_SUM] }));
  const [fetched] = await fetchSources(plan, {
    cacheDir,
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    retries: 4,
  });
  return fetched;
}

Deno.test("http: a large body cut half-way resumes through the hash worker and verifies", async () => {
  const half = Math.floor(LARGE.length / 2) + 3;
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": LARGE.length, etag: `"v1"` });
      await reply.raw(LARGE.subarray(0, half));
      return; // connection closes: truncated
    }
    await serveBytes(req, reply, LARGE);
  });
  await withTempDir(async (cache) => {
    const fetched = await fetchLarge(`${server.url}/big.bin`, cache);
    assertEquals(digest(await Deno.readFile(fetched.path)), LARGE_SUM);
    assertEquals(server.requests.length, 2);
    assertEquals(server.requests[1].headers["range"], `bytes=${half}-`);
  });
});

Deno.test("http: a large body restarted by a server ignoring Range is hashed from zero again", async () => {
  await using server = startServer(async (req, reply, n) => {
    if (n === 1) {
      await reply.head(200, { "content-length": LARGE.length, etag: `"v1"` });
      await reply.raw(LARGE.subarray(0, 5 << 20));
      return;
    }
    await serveBytes(req, reply, LARGE, { ignoreRange: true });
  });
  await withTempDir(async (cache) => {
    const fetched = await fetchLarge(`${server.url}/big.bin`, cache);
    assertEquals(digest(await Deno.readFile(fetched.path)), LARGE_SUM);
    assertEquals(server.requests.length, 2);
  });
});
