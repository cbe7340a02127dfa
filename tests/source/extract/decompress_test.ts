import { assertEquals, assertRejects } from "@std/assert";
import { join } from "@std/path";
import { type Decoder, openDecompressed } from "../../../src/source/extract/decompress.ts";
import { detectFormat } from "../../../src/source/extract/detect.ts";
import { digest, sh, testBytes, withTempDir } from "../_helpers.ts";

async function drain(path: string, format: string, decoder: Decoder): Promise<Uint8Array> {
  const source = openDecompressed(path, format, undefined, decoder);
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
