import { assertEquals, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { MultiHasher } from "../../../src/source/integrity.ts";
import { ReceiveRing } from "../../../src/source/protocols/_receive_ring.ts";
import { serveBytes, startServer, testBytes } from "../_servers.ts";
import { digest, pkgbuildWith, withTempDir } from "../_helpers.ts";

/** Many times the ring's buffers, and a partial one. */
const LARGE = testBytes((9 << 20) + 12345, 7);
const LARGE_SUM = digest(LARGE);

function referenceDigests(bytes: Uint8Array) {
  const hasher = new MultiHasher(["sha256", "md5", "ck"]);
  hasher.update(bytes);
  return hasher.digest();
}

/** Feeds `data` through the ring in reads of the given sizes, as a BYOB read loop does. */
async function pour(ring: ReceiveRing, data: Uint8Array, sizes: number[], hasher: MultiHasher) {
  for (let at = 0, i = 0; at < data.length; i++) {
    const buffer = await ring.take();
    const n = Math.min(sizes[i % sizes.length], data.length - at, buffer.length);
    // A BYOB read transfers the buffer: the view it returns is over a new ArrayBuffer.
    const moved = new Uint8Array(buffer.buffer.transfer());
    moved.set(data.subarray(at, at + n));
    await ring.commit(moved.subarray(0, n), hasher);
    at += n;
  }
  await ring.flush(hasher);
}

Deno.test("ReceiveRing appends and hashes reads of any size exactly like an inline hasher", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    const data = testBytes(9 * (1 << 20) + 777, 3);
    const hasher = new MultiHasher(["sha256", "md5", "ck"]);
    {
      using file = await Deno.open(path, { write: true, create: true, append: true });
      await pour(new ReceiveRing(file), data, [1, 511, 65536, 1 << 20, 17, 0, 300_000], hasher);
    }
    assertEquals(hasher.digest(), referenceDigests(data));
    assertEquals(digest(await Deno.readFile(path)), digest(data));
  });
});

Deno.test("ReceiveRing appends after what the file already holds (a resumed .part)", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    const head = testBytes(12345, 1);
    const tail = testBytes((2 << 20) + 5, 2);
    await Deno.writeFile(path, head);
    const hasher = new MultiHasher(["sha256"]);
    hasher.update(head);
    {
      using file = await Deno.open(path, { write: true, append: true });
      await pour(new ReceiveRing(file), tail, [300_000], hasher);
    }
    const whole = new Uint8Array([...head, ...tail]);
    assertEquals(hasher.digest().sha256, digest(whole));
    assertEquals(digest(await Deno.readFile(path)), digest(whole));
  });
});

Deno.test("ReceiveRing replaces a buffer that a failed read kept, and loses no byte counted", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    const data = testBytes(3 << 20, 5);
    const hasher = new MultiHasher(["sha256"]);
    {
      using file = await Deno.open(path, { write: true, create: true, append: true });
      const ring = new ReceiveRing(file, 64 << 10);
      await pour(ring, data.subarray(0, 1 << 20), [40_000], hasher);
      // A read that fails keeps (detaches) the buffer it was given and returns nothing.
      (await ring.take()).buffer.transfer();
      const again = await ring.take();
      assertEquals(again.byteLength, 64 << 10);
      await pour(ring, data.subarray(1 << 20), [65536, 7], hasher);
    }
    assertEquals(hasher.digest().sha256, digest(data));
    assertEquals(digest(await Deno.readFile(path)), digest(data));
  });
});

Deno.test("ReceiveRing collects short reads (TLS records) into full blocks before writing", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    const data = testBytes((1 << 20) + 999, 8);
    const hasher = new MultiHasher(["sha256"]);
    let writes = 0;
    {
      using file = await Deno.open(path, { write: true, create: true, append: true });
      const counted = {
        write(bytes: Uint8Array) {
          writes++;
          return file.write(bytes);
        },
      } as unknown as Deno.FsFile;
      await pour(new ReceiveRing(counted, 100_000), data, [16 << 10, 16 << 10, 777], hasher);
    }
    assertEquals(hasher.digest().sha256, digest(data));
    assertEquals(digest(await Deno.readFile(path)), digest(data));
    assertEquals(writes, Math.ceil(data.length / 100_000));
  });
});

Deno.test("ReceiveRing reports a failed write", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.part");
    await Deno.writeFile(path, new Uint8Array());
    using file = await Deno.open(path, { read: true }); // not writable: every write fails
    const ring = new ReceiveRing(file);
    await assertRejects(() => pour(ring, testBytes(6 << 20, 1), [1 << 20], new MultiHasher([])));
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

Deno.test("http: a large body cut half-way resumes at the exact byte and verifies", async () => {
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
