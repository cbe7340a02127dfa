import { assert, assertEquals, assertRejects, assertStringIncludes } from "../../_assert.ts";
import { join } from "node:path";
import {
  readTar,
  type TarEntry,
  TarFormatError,
  type TarHandler,
} from "../../../src/source/extract/tar_reader.ts";
import {
  fixTarChecksum,
  makeSparseTar,
  makeSparseTree,
  makeTar,
  patchBytes,
  reusedChunks,
  SPARSE_ENCODINGS,
} from "../_archives.ts";
import { digest, walk, withTempDir } from "../_helpers.ts";

/** A member as read: its entry and its file content rebuilt from the data and the sparse map. */
interface ReadMember {
  entry: TarEntry;
  content?: Uint8Array;
}

/** A handler that rebuilds every file in memory (holes as zeros), copying each chunk. */
function collector(): { members: ReadMember[]; handler: TarHandler } {
  const members: ReadMember[] = [];
  const handler: TarHandler = {
    entry(entry) {
      const member: ReadMember = { entry };
      members.push(member);
      if (entry.type !== "file") return undefined;
      const content = new Uint8Array(entry.size);
      member.content = content;
      const segments = entry.sparse ?? [{ offset: 0, size: entry.size }];
      let index = 0;
      let within = 0;
      return {
        write(chunk) {
          let pos = 0;
          while (pos < chunk.length) {
            const segment = segments[index];
            assert(segment, `${entry.path} got more data than its map holds`);
            const n = Math.min(segment.size - within, chunk.length - pos);
            content.set(chunk.subarray(pos, pos + n), segment.offset + within);
            pos += n;
            within += n;
            if (within === segment.size) [index, within] = [index + 1, 0];
          }
        },
        close() {
          assertEquals(index, segments.length, `${entry.path} got less data than its map holds`);
        },
      };
    },
  };
  return { members, handler };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Reads `archive` (whole, or in reused chunks of `chunkSize`) into members. */
async function readAll(archive: Uint8Array, chunkSize?: number): Promise<ReadMember[]> {
  const { members, handler } = collector();
  await readTar(chunkSize ? reusedChunks(archive, chunkSize) : once(archive), handler);
  return members;
}

/** Path, size and sha256 of every file under `root/pkg`, as the file system has them. */
async function originals(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of await walk(join(root, "pkg"))) {
    const path = join(root, "pkg", rel);
    const info = await Deno.lstat(path);
    if (!info.isFile) continue;
    out.set(`pkg/${rel}`, `${info.size} ${digest(await Deno.readFile(path))}`);
  }
  return out;
}

function readFiles(members: ReadMember[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { entry, content } of members) {
    if (content) out.set(entry.path, `${entry.size} ${digest(content)}`);
  }
  return out;
}

for (const encoding of Object.keys(SPARSE_ENCODINGS)) {
  Deno.test(`readTar() reads ${encoding} sparse files with their real names, real sizes and data at its offsets`, async () => {
    await withTempDir(async (dir) => {
      await makeSparseTree(dir);
      const archive = await makeSparseTar(dir, encoding);
      const members = await readAll(archive);
      assertEquals(readFiles(members), await originals(dir));
      for (const { entry } of members) assert(!entry.path.includes("GNUSparseFile"), entry.path);
      const byPath = new Map(members.map((m) => [m.entry.path, m.entry]));
      assertEquals(byPath.get("pkg/holey")?.sparse, [{ offset: 4997120, size: 4096 }]);
      assertEquals(byPath.get("pkg/all-hole")?.sparse, []);
      assertEquals(byPath.get("pkg/all-hole")?.size, 3 * 1024 * 1024);
      assertEquals(byPath.get("pkg/lib/tail-hole")?.sparse, [{ offset: 0, size: 4096 }]);
      const many = byPath.get("pkg/many")!.sparse!;
      assertEquals(many.length, 50);
      assertEquals(many.at(-1), { offset: 49 * 65536, size: 104 });
      assertEquals(byPath.get("pkg/plain")?.sparse, undefined);
      assertEquals(byPath.get("pkg/link")?.linkname, "holey");
    });
  });
}

Deno.test("readTar() reads an old GNU sparse map spread over extension blocks", async () => {
  await withTempDir(async (dir) => {
    await makeSparseTree(dir);
    const archive = await makeSparseTar(dir, "old GNU");
    const header = patchBytes(archive, "pkg/many\0", "pkg/many\0");
    assertEquals(String.fromCharCode(archive[header + 156]), "S");
    assertEquals(archive[header + 482], 1, "the header says an extension block follows");
    let blocks = 1;
    while (archive[header + 512 * blocks + 504] === 1) blocks++;
    assertEquals(blocks, 3, "50 entries take the header's 4 and 3 extension blocks of 21");
    const members = await readAll(archive);
    assertEquals(members.find((m) => m.entry.path === "pkg/many")?.entry.sparse?.length, 50);
  });
});

Deno.test("readTar() keeps nothing of a chunk the producer reuses, at any chunk size", async () => {
  await withTempDir(async (dir) => {
    await makeSparseTree(dir);
    const expected = await originals(dir);
    for (const encoding of ["old GNU", "pax 0.0", "pax 1.0"]) {
      const archive = await makeSparseTar(dir, encoding);
      for (const size of [1, 7, 511, 4096]) {
        const members = await readAll(archive, size);
        assertEquals(readFiles(members), expected, `${encoding}, chunks of ${size}`);
      }
    }
  });
});

/**
 * `handler`, answering every call with a promise settled a macrotask later
 * (as a sink writing asynchronously does); fails when the reader calls it
 * again before the previous promise settled.
 */
function asynchronous(handler: TarHandler): TarHandler {
  let busy = false;
  const step = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    assert(!busy, `${what} called before the previous call settled`);
    busy = true;
    await new Promise((resolve) => setTimeout(resolve, 0));
    try {
      return await run();
    } finally {
      busy = false;
    }
  };
  return {
    async entry(entry) {
      const sink = await step("entry", () => handler.entry(entry));
      if (!sink) return undefined;
      return {
        write: (chunk: Uint8Array) => {
          const copy = chunk.slice(); // the sink's to keep while it waits
          return step("write", () => sink.write(copy));
        },
        close: () => step("close", () => sink.close()),
      };
    },
  };
}

Deno.test("readTar() reads the same members when the handler and its sinks answer with promises", async () => {
  await withTempDir(async (dir) => {
    await makeSparseTree(dir);
    const expected = await originals(dir);
    for (const encoding of ["old GNU", "pax 0.0", "pax 1.0"]) {
      const archive = await makeSparseTar(dir, encoding);
      const synchronous = await readAll(archive);
      for (const size of [511, 4096, archive.length]) {
        const { members, handler } = collector();
        await readTar(reusedChunks(archive, size), asynchronous(handler));
        assertEquals(readFiles(members), expected, `${encoding}, chunks of ${size}`);
        assertEquals(
          members.map((m) => m.entry),
          synchronous.map((m) => m.entry),
          `${encoding}, chunks of ${size}`,
        );
      }
    }
  });
});

/** Makes a sparse archive and applies `edit` to it; returns it. */
async function edited(
  encoding: string,
  edit: (archive: Uint8Array) => void,
): Promise<Uint8Array> {
  return await withTempDir(async (dir) => {
    await makeSparseTree(dir);
    const archive = await makeSparseTar(dir, encoding);
    edit(archive);
    return archive;
  });
}

/** Edits the 12-byte numeric field at `field` of the old GNU header of `name`, fixing its checksum. */
function editOldGnu(archive: Uint8Array, name: string, field: number, value: string): void {
  const header = patchBytes(archive, `${name}\0`, `${name}\0`);
  archive.set(new TextEncoder().encode(value.padStart(11, "0") + "\0"), header + field);
  fixTarChecksum(archive, header);
}

const MALFORMED: [string, string, (archive: Uint8Array) => void, string][] = [
  [
    "old GNU",
    "offsets going backwards",
    (a) => editOldGnu(a, "pkg/many", 386 + 24, "0"),
    "goes backwards",
  ],
  [
    "old GNU",
    "a segment beyond the real size",
    (a) => editOldGnu(a, "pkg/holey", 483, "20000000"),
    "beyond the real file size",
  ],
  [
    "old GNU",
    "sizes not adding up to the data",
    (a) => editOldGnu(a, "pkg/holey", 386 + 12, "7777"),
    "covers 4095 bytes of data but the member stores 4096",
  ],
  [
    "old GNU",
    "a map field that is no number",
    (a) => editOldGnu(a, "pkg/holey", 386, "12x4"),
    "not an octal number",
  ],
  [
    "pax 0.0",
    "sizes not adding up to the data",
    (a) => patchBytes(a, "numbytes=4096\n30 GNU", "numbytes=4095\n30 GNU"),
    "covers 4095 bytes",
  ],
  [
    "pax 0.1",
    "offsets going backwards",
    (a) => patchBytes(a, "map=4997120,4096,10485760,0", "map=4997120,4096,00485760,0"),
    "goes backwards",
  ],
  [
    "pax 0.1",
    "a segment beyond the real size",
    (a) => patchBytes(a, "size=10485760", "size=00485760"),
    "beyond the real file size 485760",
  ],
  [
    "pax 0.1",
    "an odd count of numbers",
    (a) => patchBytes(a, "map=4997120,4096,10485760,0", "map=4997120,4096,1048576000"),
    "odd number of values",
  ],
  [
    "pax 1.0",
    "a map line that is no number",
    (a) => patchBytes(a, "\n4997120\n", "\n49971x0\n"),
    "not a decimal number",
  ],
  [
    "pax 1.0",
    "a count of entries larger than the map",
    (a) => patchBytes(a, "1\n3145728\n0\n", "9\n3145728\n0\n"),
    "not a decimal number",
  ],
  [
    "pax 1.0",
    "sizes not adding up to the data",
    (a) => patchBytes(a, "\n4997120\n4096\n", "\n4997120\n4095\n"),
    "covers 4095 bytes",
  ],
  [
    "pax 1.0",
    "no real size",
    (a) => patchBytes(a, "GNU.sparse.realsize=10485760", "GNU.sparse.realsiz_=10485760"),
    "no GNU.sparse.realsize record",
  ],
];

for (const [encoding, what, edit, message] of MALFORMED) {
  Deno.test(`readTar() refuses a ${encoding} sparse map with ${what}`, async () => {
    const archive = await edited(encoding, edit);
    const error = await assertRejects(() => readAll(archive), TarFormatError);
    assertStringIncludes(error.message, message);
  });
}

Deno.test("readTar() refuses a pax 1.0 sparse map cut short by the end of the member", async () => {
  // a hand-made member whose whole data is "2\n1\n" - the map promises two segments
  const pax = "22 GNU.sparse.major=1\n22 GNU.sparse.minor=0\n27 GNU.sparse.realsize=100\n";
  const archive = makeTar([{ name: "PaxHeaders/f", content: pax }, {
    name: "f",
    content: "2\n1\n",
  }]);
  archive[156] = "x".charCodeAt(0);
  fixTarChecksum(archive, 0);
  const error = await assertRejects(() => readAll(archive), TarFormatError);
  assertStringIncludes(error.message, "the sparse map of f is truncated");
});
