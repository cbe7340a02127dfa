import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../_assert.ts";
import { join } from "node:path";
import { SafeTarExtractor, WHOLE_FILE_MAX } from "../../../src/source/extract/tar_extract.ts";
import {
  readTar,
  type TarDataSink,
  TarFormatError,
} from "../../../src/source/extract/tar_reader.ts";
import { ExtractFailedError } from "../../../src/source/errors.ts";
import {
  fixTarChecksum,
  makeSparseTar,
  makeSparseTree,
  makeTar,
  patchBytes,
  reusedChunks,
  SPARSE_ENCODINGS,
  SPARSE_MTIME,
  SYMLINK_MTIME,
} from "../_archives.ts";
import { digest, sh, walk, withTempDir } from "../_helpers.ts";

/** Extracts `archive` into `root` with our reader and extractor, the producer reusing its chunks. */
async function extractOurs(archive: Uint8Array, root: string): Promise<void> {
  await Deno.mkdir(root, { recursive: true });
  const extractor = new SafeTarExtractor(root, "test.tar");
  try {
    await readTar(reusedChunks(archive, 65536), extractor);
    extractor.finish();
  } finally {
    extractor.abort();
  }
}

/** Extracts `archive` into `root` with `bsdtar -xf`, as makepkg does. */
async function extractBsdtar(archive: Uint8Array, root: string): Promise<void> {
  await Deno.mkdir(root, { recursive: true });
  const file = join(root, "..", "bsdtar-input.tar");
  await Deno.writeFile(file, archive);
  await sh("bsdtar", ["-xf", file, "-C", root]);
  await Deno.remove(file);
}

/** Kind, size, sha256, mode, mtime (ms) or link target of every path under `root`. */
async function describe(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await walk(root)) {
    const path = join(root, rel);
    const info = await Deno.lstat(path);
    const mode = ((info.mode ?? 0) & 0o7777).toString(8);
    const mtime = info.mtime?.getTime();
    if (info.isSymlink) out.push(`${rel} -> ${await Deno.readLink(path)} ${mtime}`);
    else if (info.isDirectory) out.push(`${rel}/ ${mode} ${mtime}`);
    else out.push(`${rel} ${info.size} ${digest(await Deno.readFile(path))} ${mode} ${mtime}`);
  }
  return out;
}

/** Allocated 512-byte blocks of every regular file under `root`. */
async function blocks(root: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const rel of await walk(root)) {
    const info = await Deno.lstat(join(root, rel));
    if (info.isFile) out.set(rel, info.blocks ?? -1);
  }
  return out;
}

for (const encoding of Object.keys(SPARSE_ENCODINGS)) {
  Deno.test(`SafeTarExtractor extracts ${encoding} sparse files as bsdtar does, holes kept as holes`, async () => {
    await withTempDir(async (dir) => {
      await makeSparseTree(join(dir, "tree"));
      const archive = await makeSparseTar(join(dir, "tree"), encoding);
      await extractOurs(archive, join(dir, "ours"));
      await extractBsdtar(archive, join(dir, "bsdtar"));
      const ours = await describe(join(dir, "ours"));
      assertEquals(ours, await describe(join(dir, "bsdtar")));
      assertEquals(ours, await describe(join(dir, "tree")), "and as the files were");
      assert(ours.includes(`pkg/link -> holey ${SYMLINK_MTIME * 1000}`), ours.join("\n"));
      assert(ours.some((line) => line.startsWith("pkg/holey 10485760 ")), ours.join("\n"));
      const ourBlocks = await blocks(join(dir, "ours"));
      const theirBlocks = await blocks(join(dir, "bsdtar"));
      for (const [rel, theirs] of theirBlocks) {
        const mine = ourBlocks.get(rel)!;
        assert(mine <= Math.max(theirs, 8), `${rel}: ${mine} blocks, bsdtar's has ${theirs}`);
      }
      assert(theirBlocks.get("pkg/holey")! < 64, "bsdtar keeps the 10 MiB file sparse");
      assertEquals(ourBlocks.get("pkg/all-hole"), 0);
    });
  });
}

Deno.test("SafeTarExtractor restores symlink mtimes as bsdtar does, dangling symlinks included", async () => {
  await withTempDir(async (dir) => {
    const archive = makeTar([
      { name: "d", type: "5", mtime: SPARSE_MTIME },
      { name: "d/target", content: "x", mtime: SPARSE_MTIME },
      { name: "d/link", type: "2", linkname: "target", mtime: SYMLINK_MTIME },
      { name: "dangling", type: "2", linkname: "nowhere", mtime: SYMLINK_MTIME + 1 },
    ]);
    await extractOurs(archive, join(dir, "ours"));
    await extractBsdtar(archive, join(dir, "bsdtar"));
    const ours = await describe(join(dir, "ours"));
    assertEquals(ours, await describe(join(dir, "bsdtar")));
    assertEquals((await Deno.lstat(join(dir, "ours", "d", "link"))).mtime?.getTime(), 1.5e12);
    assertEquals((await Deno.lstat(join(dir, "ours", "dangling"))).mtime?.getTime(), 1.5e12 + 1000);
  });
});

Deno.test("SafeTarExtractor reads ./, //, /./ and trailing / in member paths as bsdtar does", async () => {
  await withTempDir(async (dir) => {
    const archive = makeTar([
      { name: "./", type: "5" },
      { name: "./a/", type: "5", mode: 0o700 },
      { name: "./a//b/", type: "5", mtime: 1500000000 },
      { name: "./a//b/./c.txt", content: "c", mode: 0o600 },
      { name: "././d.txt", content: "d", mtime: 1600000000 },
      { name: "a/./e/", type: "5" },
      { name: "a/e//f.txt", content: "f", mode: 0o755 },
      { name: "./a/b/c.txt", content: "c again" },
    ]);
    await extractOurs(archive, join(dir, "ours"));
    await extractBsdtar(archive, join(dir, "bsdtar"));
    assertEquals(await describe(join(dir, "ours")), await describe(join(dir, "bsdtar")));
  });
});

Deno.test("SafeTarExtractor writes files on both sides of the whole-file size as bsdtar does, across chunks", async () => {
  await withTempDir(async (dir) => {
    const sizes = [0, 1, 511, 512, WHOLE_FILE_MAX - 1, WHOLE_FILE_MAX, WHOLE_FILE_MAX + 1, 200_000];
    const archive = makeTar([
      ...sizes.map((size, i) => ({
        name: `f${size}`,
        content: new Uint8Array(size).map((_, j) => (j * 7 + i) & 0xff),
        mode: [0o644, 0o755, 0o600, 0o700][i % 4],
        mtime: 1600000000 + i,
      })),
      { name: "f1", content: "replaced by a later member" },
      { name: "f0", type: "2", linkname: "f1" },
      { name: "f0", content: "a file again, not written through the symlink" },
    ]);
    await extractOurs(archive, join(dir, "ours"));
    await extractBsdtar(archive, join(dir, "bsdtar"));
    assertEquals(await describe(join(dir, "ours")), await describe(join(dir, "bsdtar")));
    assertEquals(await Deno.readTextFile(join(dir, "ours", "f1")), "replaced by a later member");
  });
});

Deno.test("SafeTarExtractor completes each member before the next: links to fresh files, paths written twice", async () => {
  await withTempDir(async (dir) => {
    const large = new Uint8Array(3 * WHOLE_FILE_MAX + 123).map((_, j) => (j * 13) & 0xff);
    const archive = makeTar([
      { name: "big", content: large, mtime: 1600000000 },
      { name: "big-link", type: "1", linkname: "big" },
      { name: "small", content: "s", mode: 0o755 },
      { name: "small-link", type: "1", linkname: "small" },
      { name: "x", content: large },
      { name: "x", type: "5" },
      { name: "x/inside", content: "a file in the directory that replaced a file" },
      { name: "y", content: "first" },
      { name: "y", content: large },
      { name: "z", content: large },
      { name: "z", content: "last" },
    ]);
    await extractOurs(archive, join(dir, "ours"));
    await extractBsdtar(archive, join(dir, "bsdtar"));
    assertEquals(await describe(join(dir, "ours")), await describe(join(dir, "bsdtar")));
    const root = join(dir, "ours");
    assertEquals(await Deno.readFile(join(root, "big-link")), large);
    assertEquals(
      (await Deno.stat(join(root, "big-link"))).ino,
      (await Deno.stat(join(root, "big"))).ino,
    );
    assertEquals(await Deno.readTextFile(join(root, "z")), "last");
  });
});

const MALFORMED: [string, string, (archive: Uint8Array) => void, string][] = [
  ["old GNU", "a segment beyond the real size", (a) => {
    const header = patchBytes(a, "pkg/holey\0", "pkg/holey\0");
    a.set(new TextEncoder().encode("00000010000\0"), header + 483);
    fixTarChecksum(a, header);
  }, "beyond the real file size 4096"],
  ["pax 0.1", "offsets going backwards", (a) => {
    patchBytes(a, "map=4997120,4096,10485760,0", "map=4997120,4096,00485760,0");
  }, "goes backwards"],
  ["pax 1.0", "sizes adding up to more than the data", (a) => {
    patchBytes(a, "\n4997120\n4096\n", "\n4997120\n5096\n");
  }, "covers 5096 bytes of data but the member stores 4096"],
];

for (const [encoding, what, edit, message] of MALFORMED) {
  Deno.test(`SafeTarExtractor refuses a ${encoding} sparse map with ${what}, writing nothing of it`, async () => {
    await withTempDir(async (dir) => {
      await makeSparseTree(join(dir, "tree"));
      const archive = await makeSparseTar(join(dir, "tree"), encoding);
      edit(archive);
      await Deno.remove(join(dir, "tree"), { recursive: true });
      const srcdir = join(dir, "src");
      const error = await assertRejects(() => extractOurs(archive, srcdir), TarFormatError);
      assertStringIncludes(error.message, "the sparse map of pkg/holey");
      assertStringIncludes(error.message, message);
      assertEquals(
        await walk(dir),
        (await walk(srcdir)).map((p) => `src/${p}`).concat("src").sort(),
      );
      assert(!(await walk(srcdir)).includes("pkg/holey"), "the bad member is not created");
    });
  });
}

Deno.test("SafeTarExtractor refuses sparse data beyond the map it was given", async () => {
  await withTempDir(async (dir) => {
    const extractor = new SafeTarExtractor(dir, "test.tar");
    const sink = extractor.entry({
      path: "f",
      type: "file",
      typeflag: "0",
      mode: 0o644,
      size: 100,
      sparse: [{ offset: 10, size: 2 }],
      mtime: 0,
      linkname: "",
    }) as TarDataSink;
    sink.write(new Uint8Array([1, 2]));
    const error = assertThrows(() => sink.write(new Uint8Array([3])), ExtractFailedError);
    assertStringIncludes(error.message, "f holds more data than its sparse map");
    extractor.abort();
    const written = await Deno.readFile(join(dir, "f"));
    assertEquals(
      [...written],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2],
      "the map's data, at its offset",
    );
  });
});

Deno.test("SafeTarExtractor creates files with their exact mode under any umask, in any order", async () => {
  const members = [
    { name: "a-644", content: "a", mode: 0o644 },
    { name: "b-755", content: "b", mode: 0o755 },
    { name: "c-444", content: "c", mode: 0o444 },
    { name: "d-600", content: "d", mode: 0o600 },
    { name: "e-4755", content: "e", mode: 0o4755 },
    { name: "f-777", content: "f", mode: 0o777 },
  ];
  const expected = ["a-644 644", "b-755 755", "c-444 444", "d-600 600", "e-4755 755", "f-777 755"];
  const previous = Deno.umask(0o077);
  try {
    for (const umask of [0o077, 0o022, 0o027, 0o000]) {
      Deno.umask(umask);
      // The first small file teaches the extractor the mode `open` gives without one:
      // a file with that mode first, and last.
      for (const order of [members, [...members].reverse()]) {
        await withTempDir(async (dir) => {
          await extractOurs(makeTar(order), join(dir, "out"));
          const modes = [];
          for (const m of members) {
            const info = await Deno.stat(join(dir, "out", m.name));
            modes.push(`${m.name} ${(info.mode! & 0o7777).toString(8)}`);
          }
          assertEquals(modes, expected, `umask ${umask.toString(8)}, ${order[0].name} first`);
        });
      }
    }
  } finally {
    Deno.umask(previous);
  }
});
