import { assert, assertEquals } from "../../_assert.ts";
import { join } from "node:path";
import {
  detectFormat,
  isTarHeader,
  mayBeOtherArchive,
  SIGNATURE_HEAD_SIZE,
  SIGNATURE_TAIL_SIZE,
} from "../../../src/source/extract/detect.ts";
import { sh, withTempDir } from "../_helpers.ts";

async function headAndTail(path: string): Promise<[Uint8Array, Uint8Array]> {
  const bytes = await Deno.readFile(path);
  return [
    bytes.subarray(0, SIGNATURE_HEAD_SIZE),
    bytes.subarray(Math.max(0, bytes.length - SIGNATURE_TAIL_SIZE)),
  ];
}

async function bsdtarReads(path: string): Promise<boolean> {
  const out = await new Deno.Command("bsdtar", {
    args: ["-tf", path, "-q", "*"],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

/** Whether our detection would consider the file an archive (ours, or one to ask bsdtar about). */
async function weWouldLook(path: string): Promise<boolean> {
  const [head, tail] = await headAndTail(path);
  return detectFormat(head) !== "unknown" || mayBeOtherArchive(head, tail);
}

/** Archives of every format and filter bsdtar writes here, plus disguised ones. */
async function makeArchives(dir: string): Promise<string[]> {
  await Deno.writeTextFile(join(dir, "f"), "hello\n");
  const formats = ["7zip", "ar", "arbsd", "cpio", "gnutar", "iso9660", "mtree", "pax"];
  formats.push("ustar", "v7tar", "warc", "xar", "zip");
  const script = [
    ...formats.map((f) => `bsdtar --format ${f} -cf a.${f} f`),
    ...["--lz4", "--lzma", "--lzip", "-Z", "--uuencode", "--b64encode", "-z", "-j", "-J", "--zstd"]
      .map((f, i) => `bsdtar ${f} -cf filtered${i} f`),
    // A zip behind an executable stub (a self-extracting zip), and a .deb made with ar.
    "cat /bin/true a.zip > sfx-zip && printf 2.0 > debian-binary && ar rc x.deb debian-binary",
    // A 7z behind an ELF stub, as libarchive's SFX reader looks for.
    "cat /bin/true a.7zip > sfx-7z",
    // uuencoded text after a preamble.
    "{ echo 'a preamble line'; cat filtered4; } > uu-later",
  ].join(" && ");
  await sh("bash", ["-c", script], dir);
  return [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name !== "f").map((e) =>
    join(dir, e.name)
  );
}

Deno.test("mayBeOtherArchive() never skips a file bsdtar -tf reads, over every format and filter bsdtar writes", async () => {
  await withTempDir(async (dir) => {
    const archives = await makeArchives(dir);
    assert(archives.length >= 27, `${archives.length} archives`);
    for (const path of archives) {
      if (await bsdtarReads(path)) assert(await weWouldLook(path), `skipped ${path}`);
    }
  });
});

Deno.test("mayBeOtherArchive() spares bsdtar for ordinary files: programs, libraries, scripts, text", async () => {
  const candidates: string[] = [];
  for (const dir of ["/usr/bin", "/usr/share/makepkg/util", "/usr/lib/x86_64-linux-gnu"]) {
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.isFile) candidates.push(join(dir, entry.name));
      }
    } catch {
      // not on this machine (an aarch64 one, say)
    }
  }
  const files = candidates.sort().filter((_, i) => i % 7 === 0).slice(0, 150);
  assert(files.length >= 50, `only ${files.length} files to look at`);
  let asked = 0;
  for (const path of files) {
    const look = await weWouldLook(path);
    if (await bsdtarReads(path)) assert(look, `skipped ${path}, which bsdtar reads`);
    else if (look) asked++;
  }
  assert(asked <= files.length / 20, `bsdtar would be asked about ${asked} of ${files.length}`);
});

Deno.test("mayBeOtherArchive() looks for SFX signatures only in executables and zip directories only at the end", () => {
  const sevenZip = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, ...sevenZip]);
  const text = new Uint8Array([0x61, 0x62, 0, 0, ...sevenZip]);
  assertEquals(mayBeOtherArchive(elf, new Uint8Array()), true);
  assertEquals(mayBeOtherArchive(text, new Uint8Array()), false);
  const eocd = new TextEncoder().encode("....PK\x05\x06");
  assertEquals(mayBeOtherArchive(new Uint8Array(8), eocd), true);
  assertEquals(mayBeOtherArchive(eocd, new Uint8Array(8)), false);
  const uu = new TextEncoder().encode("notes\nbegin 644 file\n");
  assertEquals(mayBeOtherArchive(uu, uu), true);
  const prose = new TextEncoder().encode("begin the build\n");
  assertEquals(mayBeOtherArchive(prose, prose), false);
});

Deno.test("detectFormat() names compressors, zip, cpio and tar by content", () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  assertEquals(detectFormat(new Uint8Array([0x1f, 0x8b, 8])), "gzip");
  assertEquals(detectFormat(ascii("BZh9")), "bzip2");
  assertEquals(detectFormat(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0])), "xz");
  assertEquals(detectFormat(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd])), "zstd");
  assertEquals(detectFormat(ascii("PK\x03\x04")), "zip");
  assertEquals(detectFormat(ascii("070701")), "cpio");
  const tar = new Uint8Array(512);
  tar.set(ascii("name"), 0);
  tar.set(ascii("ustar"), 257);
  assertEquals(isTarHeader(tar), true);
  assertEquals(detectFormat(tar), "tar");
  assertEquals(detectFormat(ascii("#!/bin/sh\n")), "unknown");
});
