import { assertEquals, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import { readAr } from "../../../src/source/extract/ar_reader.ts";
import { SafeTarExtractor } from "../../../src/source/extract/tar_extract.ts";
import { TarFormatError } from "../../../src/source/extract/tar_reader.ts";
import { reusedChunks } from "../_archives.ts";
import { digest, sh, walk, withTempDir } from "../_helpers.ts";

/** Path, mode, mtime and content digest of every file under `root`. */
async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await walk(root)) {
    const info = await Deno.lstat(join(root, rel));
    const mode = ((info.mode ?? 0) & 0o7777).toString(8);
    out.push(
      `${rel} ${mode} ${info.mtime?.getTime()} ${digest(await Deno.readFile(join(root, rel)))}`,
    );
  }
  return out;
}

/**
 * Extracts `archive` with readAr (fed in reused chunks of `chunk` bytes) and
 * with bsdtar, or with binutils' `ar xo` where bsdtar 3.6 fails (GNU long names).
 */
async function bothWays(
  dir: string,
  archive: string,
  chunk: number,
  reference: "bsdtar" | "ar" = "bsdtar",
): Promise<[string[], string[]]> {
  const ours = join(dir, `ours-${chunk}`);
  const theirs = join(dir, `bsdtar-${chunk}`);
  await Deno.mkdir(ours);
  await Deno.mkdir(theirs);
  const extractor = new SafeTarExtractor(ours, "archive");
  await readAr(reusedChunks(await Deno.readFile(archive), chunk), extractor);
  extractor.finish();
  if (reference === "bsdtar") await sh("bsdtar", ["-xf", archive, "-C", theirs]);
  else await sh("ar", ["xo", archive], theirs);
  return [await files(ours), await files(theirs)];
}

Deno.test("readAr() extracts GNU (long names), BSD and SVR4 ar archives and a .deb as bsdtar and ar do", async () => {
  await withTempDir(async (dir) => {
    await sh("bash", [
      "-c",
      `set -e
      printf '2.0\\n' > debian-binary
      head -c 5001 /dev/urandom > control.tar.gz
      head -c 70000 /dev/urandom > data.tar.xz
      printf 'odd' > a-member-with-a-very-long-name.txt
      chmod 755 a-member-with-a-very-long-name.txt
      touch -d @1600000000 debian-binary control.tar.gz data.tar.xz a-member-with-a-very-long-name.txt
      ar rc worker.deb debian-binary control.tar.gz data.tar.xz
      ar rcSU gnu-long.a a-member-with-a-very-long-name.txt data.tar.xz debian-binary
      bsdtar --format arbsd -cf bsd.a a-member-with-a-very-long-name.txt debian-binary
      bsdtar --format ar -cf svr4.a a-member-with-a-very-long-name.txt control.tar.gz`,
    ], dir);
    for (const name of ["worker.deb", "gnu-long.a", "bsd.a", "svr4.a"]) {
      for (const chunk of [1, 7, 61, 65536]) {
        const reference = name === "gnu-long.a" ? "ar" : "bsdtar";
        const [ours, theirs] = await bothWays(dir, join(dir, name), chunk, reference);
        assertEquals(ours.length >= 2, true, `${name}: ${ours}`);
        assertEquals(ours, theirs, `${name} in chunks of ${chunk}`);
        await Deno.remove(join(dir, `ours-${chunk}`), { recursive: true });
        await Deno.remove(join(dir, `bsdtar-${chunk}`), { recursive: true });
      }
    }
  });
});

Deno.test("readAr() skips the symbol table of a static library (where bsdtar 3.6 fails)", async () => {
  await withTempDir(async (dir) => {
    await sh("bash", [
      "-c",
      "printf 'int f(void){return 1;}\\n' > f.c && cc -c f.c -o f.o && ar rcs libf.a f.o",
    ], dir);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const extractor = new SafeTarExtractor(out, "libf.a");
    await readAr(reusedChunks(await Deno.readFile(join(dir, "libf.a")), 4096), extractor);
    extractor.finish();
    assertEquals(await walk(out), ["f.o"]);
    assertEquals(
      digest(await Deno.readFile(join(out, "f.o"))),
      digest(await Deno.readFile(join(dir, "f.o"))),
    );
  });
});

Deno.test("readAr() refuses thin, truncated and malformed archives and unsafe names", async () => {
  await withTempDir(async (dir) => {
    await sh("bash", ["-c", "printf x > m && ar rc ok.a m && ar rcT thin.a m"], dir);
    const ok = await Deno.readFile(join(dir, "ok.a"));
    const badTerminator = ok.slice();
    badTerminator[8 + 58] = 0x20;
    const unsafe = ok.slice();
    unsafe.set(new TextEncoder().encode("../escape/      "), 8);
    const cases: [string, Uint8Array, RegExp][] = [
      ["thin", await Deno.readFile(join(dir, "thin.a")), /thin ar archive/],
      ["truncated", ok.subarray(0, ok.length - 2), /ends in a member/],
      ["bad terminator", badTerminator, /bad ar member header/],
      ["not ar", new TextEncoder().encode("!<arcx>\n"), /not an ar archive/],
    ];
    for (const [what, bytes, message] of cases) {
      const out = await Deno.makeTempDir({ dir });
      const error = await assertRejects(
        () => readAr(reusedChunks(bytes, 16), new SafeTarExtractor(out, what)),
        TarFormatError,
      );
      assertEquals(message.test(error.message), true, `${what}: ${error.message}`);
    }
    const out = await Deno.makeTempDir({ dir });
    const error = await assertRejects(() =>
      readAr(reusedChunks(unsafe, 16), new SafeTarExtractor(out, "unsafe"))
    );
    assertEquals((error as { code?: string }).code, "EXTRACT_UNSAFE");
    assertEquals(await walk(dir).then((all) => all.filter((p) => p.includes("escape"))), []);
  });
});
