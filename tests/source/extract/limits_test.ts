import { assert, assertEquals, assertRejects, assertThrows } from "../../_assert.ts";
import { join } from "node:path";
import { extractInto } from "../../../src/source/extract/extract.ts";
import {
  DEFAULT_EXTRACT_LIMITS,
  ExtractBudget,
  type ExtractLimits,
} from "../../../src/source/extract/limits.ts";
import { declaredSize, zstdContentSize } from "../../../src/source/extract/declared_size.ts";
import { ExtractLimitError, InsufficientSpaceError } from "../../../src/source/errors.ts";
import { assertFreeSpace } from "../../../src/source/protocols/free_space.ts";
import { sh, withTempDir } from "../_helpers.ts";

const MiB = 1024 ** 2;
/** Zeros in the bomb: small enough to build in a second, large enough for every limit. */
const BOMB_BYTES = 32 * MiB;

/** Bomb files built once: a tar of one zero-filled file, compressed every way, a zip, a bare .gz. */
async function makeBombs(dir: string): Promise<Record<string, string>> {
  const zeros = join(dir, "zeros.bin");
  await sh("truncate", ["-s", String(BOMB_BYTES), zeros]);
  await sh("tar", ["-cf", "bomb.tar", "zeros.bin"], dir);
  const out: Record<string, string> = {};
  for (
    const [name, cmd] of [["bomb.tar.gz", "gzip -9"], ["bomb.tar.zst", "zstd -q -1"], [
      "bomb.tar.xz",
      "xz -0 -T1",
    ], ["bomb.tar.bz2", "bzip2 -1"]]
  ) {
    await sh("bash", ["-c", `${cmd} -c bomb.tar > ${name}`], dir);
    out[name] = join(dir, name);
  }
  await sh("bsdtar", ["--format", "zip", "-cf", "bomb.zip", "zeros.bin"], dir);
  out["bomb.zip"] = join(dir, "bomb.zip");
  await sh("bash", ["-c", "gzip -9 -c zeros.bin > zeros.bin.gz"], dir);
  out["zeros.bin.gz"] = join(dir, "zeros.bin.gz");
  return out;
}

/** Extracts `path` into a fresh srcdir under `limits`; returns the srcdir. */
async function extract(dir: string, path: string, limits: ExtractLimits): Promise<string> {
  const srcdir = await Deno.makeTempDir({ dir, prefix: "src-" });
  const name = path.slice(path.lastIndexOf("/") + 1);
  await Deno.symlink(path, join(srcdir, name));
  await extractInto(join(srcdir, name), name, { srcdir, limits });
  return srcdir;
}

/** Bytes of the regular files under `dir` (what the bomb managed to write). */
async function writtenBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isFile) total += (await Deno.stat(path)).size;
    else if (entry.isDirectory) total += await writtenBytes(path);
  }
  return total;
}

Deno.test("extraction limits stop a bomb by ratio (early) and by total bytes in gzip, zstd, xz, bzip2, zip (bsdtar) and a bare .gz", async () => {
  await withTempDir(async (dir) => {
    const bombs = await makeBombs(dir);
    for (const [name, path] of Object.entries(bombs)) {
      const size = (await Deno.stat(path)).size;
      assert(BOMB_BYTES / size > 200, `${name} ratio ${BOMB_BYTES / size}`);
      const limits = { maxRatio: 100, ratioAfterBytes: 2 * MiB };
      const error = await assertRejects(() => extract(dir, path, limits), ExtractLimitError);
      assertEquals([name, error.code, error.limit], [name, "EXTRACT_LIMIT", "ratio"]);
      assert(error.message.includes("ratio limit of 100:1"), error.message);
      assert(error.hint?.includes("--extract-max-ratio"), error.hint);
      // Stopped while streaming: far less than the bomb reached the disk.
      const srcdirs = [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("src-"));
      const last = join(dir, srcdirs.at(-1)!.name);
      const written = await writtenBytes(last);
      assert(written < BOMB_BYTES / 2, `${name}: ${written} bytes written`);
      await Deno.remove(last, { recursive: true });
      // The same bomb under a byte limit instead, with the ratio out of the way.
      const bytes = await assertRejects(
        () => extract(dir, path, { maxBytes: 4 * MiB, maxRatio: 1e9 }),
        ExtractLimitError,
      );
      assertEquals([name, bytes.limit], [name, "bytes"]);
      assert(bytes.message.includes(`more than ${4 * MiB} bytes`), bytes.message);
    }
  });
});

Deno.test("extraction limits stop an archive with too many entries (tar.gz and zip)", async () => {
  await withTempDir(async (dir) => {
    const tree = join(dir, "many");
    await Deno.mkdir(tree);
    for (let i = 0; i < 40; i++) await Deno.writeTextFile(join(tree, `f${i}`), "");
    await sh("tar", ["-czf", "many.tar.gz", "many"], dir);
    await sh("bsdtar", ["--format", "zip", "-cf", "many.zip", "many"], dir);
    for (const name of ["many.tar.gz", "many.zip"]) {
      const error = await assertRejects(
        () => extract(dir, join(dir, name), { maxEntries: 20 }),
        ExtractLimitError,
      );
      assertEquals([name, error.limit], [name, "entries"]);
      assert(error.message.includes("more than 20 members"), error.message);
    }
    // Under the limit the same archive extracts.
    const ok = await extract(dir, join(dir, "many.tar.gz"), { maxEntries: 41 });
    assertEquals([...Deno.readDirSync(join(ok, "many"))].length, 40);
  });
});

Deno.test("the default limits let a small archive of zeros through (the ratio waits for 16 MiB)", async () => {
  await withTempDir(async (dir) => {
    await sh("truncate", ["-s", String(8 * MiB), join(dir, "pad.bin")]);
    await sh("tar", ["-czf", "pad.tar.gz", "pad.bin"], dir);
    const srcdir = await extract(dir, join(dir, "pad.tar.gz"), {});
    assertEquals((await Deno.stat(join(srcdir, "pad.bin"))).size, 8 * MiB);
  });
});

Deno.test("ExtractBudget counts sparse holes as bytes and keeps undefined limits at their defaults", () => {
  const budget = new ExtractBudget("s.tar", 1000, { maxBytes: 10_000, maxRatio: undefined });
  const entry = {
    path: "s",
    type: "file",
    size: 50_000,
    sparse: [{ offset: 0, size: 10 }],
  } as unknown as Parameters<ExtractBudget["addEntry"]>[0];
  assertThrows(() => budget.addEntry(entry), ExtractLimitError, "more than 10000 bytes");
  assertEquals(DEFAULT_EXTRACT_LIMITS.maxRatio, 200);
  const defaults = new ExtractBudget("d", 1, { maxRatio: undefined });
  defaults.addBytes(DEFAULT_EXTRACT_LIMITS.ratioAfterBytes); // not past the threshold
  assertThrows(() => defaults.addBytes(1), ExtractLimitError, "ratio limit of 200:1");
});

Deno.test("declaredSize() reads a tar's size, gzip's ISIZE and zstd's frame content size", async () => {
  await withTempDir(async (dir) => {
    await sh("truncate", ["-s", "300000", join(dir, "z.bin")]);
    await sh("bash", [
      "-c",
      "gzip -c z.bin > z.gz && zstd -q -c z.bin > z.zst && xz -c z.bin > z.xz",
    ], dir);
    assertEquals(
      await declaredSize(join(dir, "z.gz"), "gzip", (await Deno.stat(join(dir, "z.gz"))).size),
      300000,
    );
    assertEquals(await declaredSize(join(dir, "z.zst"), "zstd", 0), 300000);
    assertEquals(await declaredSize(join(dir, "z.xz"), "xz", 0), undefined);
    assertEquals(await declaredSize(join(dir, "z.bin"), "tar", 300000), 300000);
    assertEquals(zstdContentSize(new Uint8Array([1, 2, 3, 4, 5, 6])), undefined);
  });
});

Deno.test("assertFreeSpace() refuses what cannot fit with DISK_FULL naming the path and the numbers", async () => {
  await withTempDir(async (dir) => {
    await assertFreeSpace(dir, 1, "a tiny file");
    const error = await assertRejects(
      () => assertFreeSpace(dir, Number.MAX_SAFE_INTEGER, "the download of huge.bin"),
      InsufficientSpaceError,
    );
    assertEquals([error.code, error.exitCode, error.path], ["DISK_FULL", 15, dir]);
    assert(error.message.includes(`needs ${Number.MAX_SAFE_INTEGER} bytes`), error.message);
    assert(error.free > 0 && error.free < Number.MAX_SAFE_INTEGER);
  });
});
