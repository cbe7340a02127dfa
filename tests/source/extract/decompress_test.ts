import { assert, assertEquals, assertMatch, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import {
  type ByteSource,
  type Decoder,
  gunzipStreamSource,
  openAsTar,
  openDecompressed,
  openInProcess,
} from "../../../src/source/extract/decompress.ts";
import { ExtractFailedError } from "../../../src/source/errors.ts";
import { CancelledError } from "../../../src/errors.ts";
import { SafeTarExtractor } from "../../../src/source/extract/tar_extract.ts";
import { readTar } from "../../../src/source/extract/tar_reader.ts";
import { gzipSync } from "node:zlib";
import { makeTar } from "../_archives.ts";
import type {
  DecodeWorkerReply,
  DecodeWorkerRequest,
} from "../../../src/source/extract/_decode_messages.ts";
import { detectFormat } from "../../../src/source/extract/detect.ts";
import { digest, sh, testBytes, withTempDir } from "../_helpers.ts";

async function drain(path: string, format: string, decoder: Decoder): Promise<Uint8Array> {
  return await drainSource(openDecompressed(path, format, undefined, decoder));
}

/** All bytes of `source`, copying each chunk (the source reuses its buffers). */
async function drainSource(source: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source.chunks) parts.push(chunk.slice());
  await source.close();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("openDecompressed() gives the same bytes in-process and through the tool for gzip and zstd", async () => {
  await withTempDir(async (dir) => {
    const data = testBytes(3 << 20, 5);
    await Deno.writeFile(join(dir, "d"), data);
    await sh("bash", ["-c", "gzip -k d && zstd -q -k d && xz -k d && bzip2 -k d"], dir);
    for (const [ext, format] of [["gz", "gzip"], ["zst", "zstd"], ["xz", "xz"], ["bz2", "bzip2"]]) {
      const path = join(dir, `d.${ext}`);
      const head = (await Deno.readFile(path)).subarray(0, 512);
      assertEquals(detectFormat(head), format);
      const decoders: Decoder[] = format === "gzip" || format === "zstd"
        ? ["in-process", "tool"]
        : ["tool"];
      for (const decoder of decoders) {
        assertEquals(
          digest(await drain(path, format, decoder)),
          digest(data),
          `${format} ${decoder}`,
        );
      }
    }
  });
});

Deno.test("openDecompressed() reports corrupt data from the tool and in-process", async () => {
  await withTempDir(async (dir) => {
    await sh("bash", ["-c", "head -c 100000 /dev/urandom > d && gzip -k d && xz -k d"], dir);
    for (
      const [ext, format, decoder] of [["gz", "gzip", "in-process"], ["xz", "xz", "tool"]] as const
    ) {
      const bytes = await Deno.readFile(join(dir, `d.${ext}`));
      bytes[bytes.length / 2] ^= 0xff;
      await Deno.writeFile(join(dir, `bad.${ext}`), bytes.subarray(0, bytes.length - 8));
      await assertRejects(() => drain(join(dir, `bad.${ext}`), format, decoder));
    }
  });
});

/** The decoded bytes of `path` by every in-process way and by the tool, which must agree. */
async function decodeEveryWay(path: string, format: "gzip" | "zstd"): Promise<string[]> {
  const results = [
    await drainSource(openInProcess(path, format, "thread")!),
    await drainSource(openInProcess(path, format, "worker")!),
    await drain(path, format, "tool"),
  ];
  return results.map((bytes) => digest(bytes));
}

Deno.test("openInProcess() decodes concatenated zstd frames and skips skippable frames, like zstd -dc", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(300_000, 3);
    const b = testBytes(5_000, 4);
    await Deno.writeFile(join(dir, "a"), a);
    await Deno.writeFile(join(dir, "b"), b);
    // A skippable frame: magic 0x184D2A5E, a 4-byte length, then that many bytes.
    const skippable = new Uint8Array([0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    await Deno.writeFile(join(dir, "skip"), skippable);
    await sh("bash", [
      "-c",
      "zstd -q -c a > m.zst && cat skip >> m.zst && zstd -q -c --no-check b >> m.zst && " +
      "zstd -q -c -19 a >> m.zst",
    ], dir);
    const expected = digest(new Uint8Array([...a, ...b, ...a]));
    assertEquals(await decodeEveryWay(join(dir, "m.zst"), "zstd"), [expected, expected, expected]);
  });
});

Deno.test("openInProcess() decodes multi-member gzip, like gzip -dc", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(200_000, 5);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "gzip -c a > m.gz && gzip -9 -c a >> m.gz"], dir);
    const expected = digest(new Uint8Array([...a, ...a]));
    assertEquals(await decodeEveryWay(join(dir, "m.gz"), "gzip"), [expected, expected, expected]);
  });
});

Deno.test("openInProcess() reports truncated and trailing-garbage zstd and truncated gzip as EXTRACT_FAILED", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "a"), testBytes(400_000, 6));
    await sh("bash", ["-c", "zstd -q -c a > a.zst && gzip -c a > a.gz"], dir);
    const zst = await Deno.readFile(join(dir, "a.zst"));
    const gz = await Deno.readFile(join(dir, "a.gz"));
    const cases: [string, "gzip" | "zstd", Uint8Array, RegExp][] = [
      ["cut.zst", "zstd", zst.subarray(0, zst.length - 100), /ends in the middle of a frame/],
      ["cut-header.zst", "zstd", zst.subarray(0, 6), /ends in the middle of a frame/],
      ["garbage.zst", "zstd", new Uint8Array([...zst, 1, 2, 3, 4, 5]), /after the last zstd frame/],
      ["cut.gz", "gzip", gz.subarray(0, gz.length - 100), /unexpected end of file/],
    ];
    for (const [name, format, bytes, message] of cases) {
      const path = join(dir, name);
      await Deno.writeFile(path, bytes);
      for (const thread of ["thread", "worker"] as const) {
        const error = await assertRejects(
          () => drainSource(openInProcess(path, format, thread)!),
          ExtractFailedError,
        );
        assertMatch(error.message, message, `${name} on ${thread}`);
      }
      // The tool agrees that a cut stream is broken. (`zstd -dcf` copies trailing garbage
      // through, while bsdtar refuses a tar.zst with it, as we do.)
      if (name.startsWith("cut")) await assertRejects(() => drain(path, format, "tool"));
    }
  });
});

Deno.test("openInProcess() decodes on the main thread when the decode worker cannot start", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(1_000_000, 7);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "zstd -q -c a > a.zst"], dir);
    const missing = new URL("file:///nonexistent/_decode_worker.ts");
    const source = openInProcess(join(dir, "a.zst"), "zstd", "worker", missing)!;
    assertEquals(digest(await drainSource(source)), digest(a));
  });
});

Deno.test("openInProcess() stops the worker when the consumer stops early", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(join(dir, "a"), testBytes(20_000_000, 8));
    await sh("bash", ["-c", "gzip -1 -c a > a.gz"], dir);
    const source = openInProcess(join(dir, "a.gz"), "gzip", "worker")!;
    let seen = 0;
    for await (const chunk of source.chunks) {
      seen += chunk.length;
      if (seen > 3_000_000) break;
    }
    await source.close(true);
    assert(seen > 3_000_000 && seen < 20_000_000, `${seen} bytes before stopping`);
    // The test sanitizer fails this test if the worker or the file were left open.
  });
});

Deno.test("the decode worker module itself decodes a file lent four buffers (no silent fallback)", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(3_000_000, 9);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "zstd -q -c a > a.zst"], dir);
    const worker = new Worker(
      new URL("../../../src/source/extract/_decode_worker.ts", import.meta.url),
      { type: "module" },
    );
    try {
      const parts: Uint8Array[] = [];
      const done = new Promise<string>((resolve) => {
        worker.onerror = (event) => {
          event.preventDefault();
          resolve(`worker failed: ${event.message}`);
        };
        worker.onmessage = (event: MessageEvent<DecodeWorkerReply>) => {
          const reply = event.data;
          if (reply.type === "chunk") {
            parts.push(new Uint8Array(reply.buffer, 0, reply.length).slice());
            worker.postMessage({ type: "buffer", buffer: reply.buffer }, [reply.buffer]);
          } else resolve(reply.type === "end" ? "end" : `error: ${reply.message}`);
        };
      });
      const buffers = Array.from({ length: 4 }, () => new ArrayBuffer(1 << 20));
      const start: DecodeWorkerRequest = {
        type: "start",
        path: join(dir, "a.zst"),
        format: "zstd",
        buffers,
      };
      worker.postMessage(start, buffers);
      assertEquals(await done, "end");
      assertEquals(parts.length, 3, "two full 1 MiB buffers and the rest");
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
      assertEquals(digest(out), digest(a));
    } finally {
      worker.terminate();
    }
  });
});

Deno.test("openInProcess() without read access to the worker module decodes on the main thread, quietly", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(2_000_000, 10);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "gzip -c a > a.gz"], dir);
    const decompress = new URL("../../../src/source/extract/decompress.ts", import.meta.url);
    await Deno.writeTextFile(
      join(dir, "drain.ts"),
      `import { openInProcess } from ${JSON.stringify(decompress.href)};
const source = openInProcess(Deno.args[0], "gzip", "worker");
let n = 0;
for await (const chunk of source.chunks) n += chunk.length;
await source.close();
console.log(n);
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${new URL("../../../deno.json", import.meta.url).pathname}`,
        `--allow-read=${dir}`,
        join(dir, "drain.ts"),
        join(dir, "a.gz"),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr);
    assertEquals(new TextDecoder().decode(out.stdout).trim(), String(a.length));
    assertEquals(stderr.replace(/^\S*Check\S* .*\n/gm, ""), "", "no worker error on stderr");
  });
});

Deno.test("openAsTar() fails when bsdtar skips a member it cannot convert, rather than losing it", async () => {
  await withTempDir(async (dir) => {
    // ar members carry no file type, so bsdtar's pax writer skips each with a warning (exit 0).
    await sh("bash", ["-c", "printf '2.0\\n' > debian-binary && ar rc x.deb debian-binary"], dir);
    const error = await assertRejects(
      () => drainSource(openAsTar(join(dir, "x.deb"))),
      ExtractFailedError,
    );
    assertMatch(error.message, /cannot archive/);
  });
});

Deno.test("a worker-decoded tar.gz extraction aborted mid-way stops the worker and writes no more", async () => {
  await withTempDir(async (dir) => {
    const members = Array.from({ length: 30 }, (_, i) => ({
      name: `part${i}.bin`,
      content: testBytes(1 << 20, i + 11),
    }));
    await Deno.writeFile(join(dir, "big.tar.gz"), gzipSync(makeTar(members), { level: 1 }));
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const controller = new AbortController();
    const source = openInProcess(join(dir, "big.tar.gz"), "gzip", "worker")!;
    const extractor = new SafeTarExtractor(out, "big.tar.gz", controller.signal);
    let seen = 0;
    const counting = {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of source.chunks) {
          seen += chunk.length;
          if (seen > 5_000_000) controller.abort();
          yield chunk;
        }
      },
    };
    // What extractInto does: read until the extractor throws, then close the source early.
    await assertRejects(() => readTar(counting, extractor), CancelledError);
    extractor.abort();
    await source.close(true);
    const written = [...Deno.readDirSync(out)].length;
    assert(written >= 4 && written < 30, `${written} members written`);
    // The sanitizers fail this test if the worker or a file were left running or open.
  });
});

Deno.test("gunzipStreamSource() (the fallback without a buffer decoder) decodes multi-member gzip exactly", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(3 << 20, 5);
    const b = testBytes(100_000, 6);
    const path = join(dir, "a.gz");
    await Deno.writeFile(path, new Uint8Array([...gzipSync(a), ...gzipSync(b)]));
    const source = gunzipStreamSource(path);
    const parts: Uint8Array[] = [];
    for await (const chunk of source.chunks) parts.push(chunk.slice());
    await source.close();
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    assertEquals(digest(out), digest(new Uint8Array([...a, ...b])));
  });
});

Deno.test("openDecompressed() auto streams zstd through zstd -dc, and refuses trailing garbage", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(500_000, 12);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "zstd -q -c a > a.zst && ln -s a.zst link.zst"], dir);
    const source = openDecompressed(join(dir, "link.zst"), "zstd", undefined, "auto"); // a symlink, as in srcdir
    assertEquals(source.tool, "zstd");
    assertEquals(digest(await drainSource(source)), digest(a));
    const zst = await Deno.readFile(join(dir, "a.zst"));
    await Deno.writeFile(join(dir, "garbage.zst"), new Uint8Array([...zst, 1, 2, 3, 4, 5]));
    await assertRejects(() => drain(join(dir, "garbage.zst"), "zstd", "auto"), ExtractFailedError);
  });
});

Deno.test("openDecompressed() decodes in-process, quietly, when it may not run the tool", async () => {
  await withTempDir(async (dir) => {
    const a = testBytes(1_500_000, 13);
    await Deno.writeFile(join(dir, "a"), a);
    await sh("bash", ["-c", "zstd -q -c a > a.zst && gzip -c a > a.gz"], dir);
    const decompress = new URL("../../../src/source/extract/decompress.ts", import.meta.url);
    await Deno.writeTextFile(
      join(dir, "drain.ts"),
      `import { openDecompressed } from ${JSON.stringify(decompress.href)};
for (const [path, format] of [[Deno.args[0], "zstd"], [Deno.args[1], "gzip"]]) {
  const source = openDecompressed(path, format, undefined, "auto");
  let n = 0;
  for await (const chunk of source.chunks) n += chunk.length;
  await source.close();
  console.log(source.tool, n);
}
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${new URL("../../../deno.json", import.meta.url).pathname}`,
        "--no-prompt",
        "--allow-read",
        "--allow-run=bash", // neither zstd nor pigz
        join(dir, "drain.ts"),
        join(dir, "a.zst"),
        join(dir, "a.gz"),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr);
    assertEquals(
      new TextDecoder().decode(out.stdout).trim().split("\n"),
      [`in-process ${a.length}`, `in-process ${a.length}`],
    );
  });
});
