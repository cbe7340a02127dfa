import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { HASH_ALGORITHMS } from "../../src/pkgbuild/model.ts";
import { compareChecksums, hashFile, MultiHasher, PosixCksum } from "../../src/source/integrity.ts";
import { sh, testBytes, withTempDir } from "./_helpers.ts";

async function toolSums(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of HASH_ALGORITHMS) {
    out[a] = (await sh(`${a}sum`, [path])).split(" ")[0];
  }
  return out;
}

Deno.test("MultiHasher computes all eight algorithms exactly as the ck..b2sum tools do", async () => {
  await withTempDir(async (dir) => {
    for (const size of [0, 1, 255, 256, 70_000]) {
      const data = testBytes(size, size + 7);
      const path = join(dir, `f${size}`);
      await Deno.writeFile(path, data);
      const hasher = new MultiHasher(HASH_ALGORITHMS);
      // Feed in uneven chunks: streaming must not change the result.
      for (let i = 0; i < data.length; i += 999) hasher.update(data.subarray(i, i + 999));
      assertEquals(hasher.digest(), await toolSums(path), `size ${size}`);
      assertEquals(await hashFile(path, HASH_ALGORITHMS), await toolSums(path));
    }
  });
});

Deno.test("PosixCksum of the empty input is cksum's 4294967295", () => {
  assertEquals(new PosixCksum().digest(), "4294967295");
});

Deno.test("compareChecksums() ignores case and names the first mismatch", () => {
  const actual = { sha256: "ab".repeat(32), md5: "cd".repeat(16) };
  assertEquals(compareChecksums({ sha256: "AB".repeat(32) }, actual), undefined);
  assertEquals(compareChecksums({ md5: "00".repeat(16) }, actual), {
    algorithm: "md5",
    expected: "00".repeat(16),
    actual: "cd".repeat(16),
  });
});
