import { assert, assertEquals, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { prepareSrcdir } from "../../../src/source/srcdir.ts";
import { ExtractFailedError, ExtractUnsafeError } from "../../../src/source/errors.ts";
import { CancelledError } from "../../../src/errors.ts";
import type { SourceEvent } from "../../../src/source/events.ts";
import { makeTar, makeZip, type TarMember } from "../_archives.ts";
import { pkgbuildWith, recorder, sh, testBytes, walk, withTempDir } from "../_helpers.ts";

const LONG = "deeply/" + "nested-directory-name/".repeat(6) + "file-with-a-long-name.txt";
const MTIME = 1_600_000_000;

/** A tree covering what extraction must keep: modes, symlinks, long names, empty dirs, mtimes. */
async function makeTree(root: string): Promise<void> {
  await Deno.mkdir(join(root, "pkg", "bin"), { recursive: true });
  await Deno.mkdir(join(root, "pkg", "empty"), { recursive: true });
  await Deno.writeTextFile(join(root, "pkg", "bin", "worker"), "#!/bin/sh\necho hi\n");
  await Deno.chmod(join(root, "pkg", "bin", "worker"), 0o755);
  await Deno.writeTextFile(join(root, "pkg", "README"), "readme\n");
  await Deno.chmod(join(root, "pkg", "README"), 0o644);
  await Deno.writeTextFile(join(root, "pkg", "private"), "secret\n");
  await Deno.chmod(join(root, "pkg", "private"), 0o600);
  await Deno.symlink("bin/worker", join(root, "pkg", "run"));
  await Deno.mkdir(join(root, "pkg", LONG, ".."), { recursive: true });
  await Deno.writeTextFile(join(root, "pkg", LONG), "long\n");
  await sh("find", [root, "-exec", "touch", "-h", "-d", `@${MTIME}`, "{}", "+"]);
}

/** Type, mode, content or link target, and mtime of every path under `root`. */
export async function describeTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await walk(root)) {
    const path = join(root, rel);
    const info = await Deno.lstat(path);
    const mode = ((info.mode ?? 0) & 0o7777).toString(8);
    if (info.isSymlink) out.push(`${rel} -> ${await Deno.readLink(path)}`);
    else if (info.isDirectory) out.push(`${rel}/ ${mode} ${info.mtime?.getTime()}`);
    else {
      const text = new TextDecoder().decode(await Deno.readFile(path)).replace(/\n/g, "\\n");
      out.push(`${rel} ${mode} ${info.mtime?.getTime()} ${text.slice(0, 40)}`);
    }
  }
  return out;
}

/** Fetches local `names` from `recipe` and prepares `srcdir`; returns the events. */
async function prepare(
  recipe: string,
  names: string[],
  srcdir: string,
  extra: Record<string, string[]> = {},
): Promise<SourceEvent[]> {
  const plan = planSources(
    pkgbuildWith({ source: names, sha256sums: names.map(() => "SKIP"), ...extra }),
  );
  const fetched = await fetchSources(plan, {
    cacheDir: join(recipe, "..", "cache"),
    recipeDir: recipe,
  });
  const { events, sink } = recorder();
  await prepareSrcdir(fetched, srcdir, { onEvent: sink });
  return events;
}

Deno.test("prepareSrcdir() extracts tar inside every compressor, zip, and plain tar, keeping modes, symlinks and mtimes", async () => {
  await withTempDir(async (dir) => {
    const tree = join(dir, "tree");
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await makeTree(tree);
    const tar = join(recipe, "a.tar");
    await sh("bsdtar", ["-cf", tar, "-C", tree, "pkg"]);
    await sh("tar", ["--format=gnu", "-czf", join(recipe, "gnu.tar.gz"), "-C", tree, "pkg"]);
    await sh("bash", [
      "-c",
      `bzip2 -c a.tar > a.tar.bz2 && xz -c a.tar > a.tar.xz && zstd -q -c a.tar > a.tar.zst`,
    ], recipe);
    await sh("zip", ["-q", "-r", "--symlinks", join(recipe, "a.zip"), "pkg"], tree);
    // Format from content: a gzip'd tar under a name that says nothing.
    await sh("bash", ["-c", `gzip -c a.tar > download.bin`], recipe);
    const expected = await describeTree(tree);
    for (
      const name of [
        "a.tar",
        "gnu.tar.gz",
        "a.tar.bz2",
        "a.tar.xz",
        "a.tar.zst",
        "a.zip",
        "download.bin",
      ]
    ) {
      const srcdir = join(dir, `src-${name}`);
      const events = await prepare(recipe, [name], srcdir);
      const tree = (await describeTree(srcdir)).filter((l) => !l.startsWith(`${name} -> `));
      const expectedHere = name === "a.zip"
        ? expected.filter((l) => !l.includes("/ ")) // zip keeps no directory mtimes reliably
        : expected;
      const got = name === "a.zip" ? tree.filter((l) => !l.includes("/ ")) : tree;
      assertEquals(got, expectedHere, name);
      assert(events.some((e) => e.type === "source.extract" && e.format !== "symlink"), name);
      assertEquals(await Deno.readLink(join(srcdir, name)), join(recipe, name));
    }
  });
});

Deno.test("prepareSrcdir() decompresses a single compressed file to its name minus the extension", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await Deno.writeTextFile(join(recipe, "model.txt"), "weights\n".repeat(1000));
    await sh("bash", [
      "-c",
      "gzip -k model.txt && bzip2 -k model.txt && xz -k model.txt && zstd -q -k model.txt",
    ], recipe);
    for (const ext of ["gz", "bz2", "xz", "zst"]) {
      const srcdir = join(dir, `src-${ext}`);
      await prepare(recipe, [`model.txt.${ext}`], srcdir);
      assertEquals(
        await Deno.readTextFile(join(srcdir, "model.txt")),
        "weights\n".repeat(1000),
        ext,
      );
    }
    // A gzip file whose extension is not gz|z|Z is left alone, as makepkg does.
    await Deno.copyFile(join(recipe, "model.txt.gz"), join(recipe, "model.gzip"));
    const srcdir = join(dir, "src-other");
    await prepare(recipe, ["model.gzip"], srcdir);
    assertEquals(await walk(srcdir), ["model.gzip"]);
  });
});

Deno.test("prepareSrcdir() leaves noextract archives and non-archives as symlinks", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await Deno.writeFile(
      join(recipe, "app.tar.gz"),
      gzipSync(makeTar([{ name: "x", content: "x" }])),
    );
    await Deno.writeTextFile(join(recipe, "fake.tar.gz"), "not an archive\n");
    const srcdir = join(dir, "src");
    await prepare(recipe, ["app.tar.gz", "fake.tar.gz"], srcdir, { noextract: ["app.tar.gz"] });
    assertEquals(await walk(srcdir), ["app.tar.gz", "fake.tar.gz"]);
    assertEquals(await Deno.readLink(join(srcdir, "app.tar.gz")), join(recipe, "app.tar.gz"));
  });
});

const HOSTILE: Record<string, (outside: string) => TarMember[]> = {
  "a ../ traversal":
    () => [{ name: "ok.txt", content: "ok" }, { name: "../evil", content: "pwned" }],
  "a nested traversal": () => [{ name: "a/b/../../../evil", content: "pwned" }],
  "a traversal after ./ prefixes": () => [{ name: "././../evil", content: "pwned" }],
  "a traversal between doubled slashes": () => [{ name: "a//..//..//evil", content: "pwned" }],
  "a traversal as the last component": () => [
    { name: "a/", type: "5" },
    { name: "a/..", type: "5" },
    { name: "..", content: "pwned" },
  ],
  "an absolute path": (outside) => [{ name: `${outside}/evil`, content: "pwned" }],
  "a write through its own symlink": (outside) => [
    { name: "link", type: "2", linkname: outside },
    { name: "link/evil", content: "pwned" },
  ],
  "a write through a relative symlink": () => [
    { name: "up", type: "2", linkname: "../outside" },
    { name: "up/evil", content: "pwned" },
  ],
  "a hard link out by ..": () => [{ name: "hl", type: "1", linkname: "../outside/victim" }],
  "a hard link to an absolute path": (outside) => [
    { name: "hl", type: "1", linkname: `${outside}/victim` },
  ],
  "a hard link through a symlink": (outside) => [
    { name: "l", type: "2", linkname: outside },
    { name: "hl", type: "1", linkname: "l/victim" },
  ],
  "a character device": () => [{ name: "null", type: "3" }],
  "a fifo": () => [{ name: "pipe", type: "6" }],
};

for (const [what, members] of Object.entries(HOSTILE)) {
  Deno.test(`prepareSrcdir() refuses an archive with ${what} and writes nothing outside srcdir`, async () => {
    await withTempDir(async (dir) => {
      const outside = join(dir, "outside");
      const recipe = join(dir, "recipe");
      await Deno.mkdir(outside);
      await Deno.mkdir(recipe);
      await Deno.writeTextFile(join(outside, "victim"), "original");
      await Deno.writeFile(join(recipe, "bad.tar.gz"), gzipSync(makeTar(members(outside))));
      const srcdir = join(dir, "src");
      const error = await assertRejects(
        () => prepare(recipe, ["bad.tar.gz"], srcdir),
        ExtractUnsafeError,
      );
      assertEquals(error.code, "EXTRACT_UNSAFE");
      assertEquals(error.exitCode, 12);
      assertEquals(await walk(outside), ["victim"]);
      assertEquals(await Deno.readTextFile(join(outside, "victim")), "original");
      assertEquals((await Deno.stat(join(outside, "victim"))).nlink, 1);
      assertEquals((await walk(dir)).filter((p) => p.endsWith("evil")), []);
    });
  });
}

Deno.test("prepareSrcdir() refuses a zip whose member climbs out with ..", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await Deno.writeFile(
      join(recipe, "evil.zip"),
      makeZip([{ name: "ok.txt", content: "ok" }, { name: "../evil", content: "pwned" }]),
    );
    await assertRejects(
      () => prepare(recipe, ["evil.zip"], join(dir, "src")),
      ExtractUnsafeError,
      "..",
    );
    assertEquals((await walk(dir)).filter((p) => p.endsWith("evil")), []);
  });
});

Deno.test("prepareSrcdir() refuses a second archive writing through a symlink the first one made", async () => {
  await withTempDir(async (dir) => {
    const outside = join(dir, "outside");
    const recipe = join(dir, "recipe");
    await Deno.mkdir(outside);
    await Deno.mkdir(recipe);
    await Deno.writeFile(
      join(recipe, "one.tar"),
      makeTar([{ name: "lib", type: "2", linkname: outside }]),
    );
    await Deno.writeFile(
      join(recipe, "two.tar"),
      makeTar([{ name: "lib/evil", content: "pwned" }]),
    );
    await assertRejects(
      () => prepare(recipe, ["one.tar", "two.tar"], join(dir, "src")),
      ExtractUnsafeError,
      "symlink lib",
    );
    assertEquals(await walk(outside), []);
  });
});

Deno.test("prepareSrcdir() keeps safe symlinks and hard links inside the archive", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    await Deno.writeFile(
      join(recipe, "ok.tar"),
      makeTar([
        { name: "d/", type: "5" },
        { name: "d/f", content: "data", mode: 0o755 },
        { name: "d/hard", type: "1", linkname: "d/f" },
        { name: "abs", type: "2", linkname: "/usr/lib" },
        { name: "rel", type: "2", linkname: "d/f" },
      ]),
    );
    const srcdir = join(dir, "src");
    await prepare(recipe, ["ok.tar"], srcdir);
    assertEquals(await Deno.readTextFile(join(srcdir, "d", "hard")), "data");
    assertEquals((await Deno.stat(join(srcdir, "d", "f"))).nlink, 2);
    assertEquals(await Deno.readLink(join(srcdir, "abs")), "/usr/lib");
    assertEquals(await Deno.readLink(join(srcdir, "rel")), "d/f");
  });
});

Deno.test("prepareSrcdir() reports a truncated archive as EXTRACT_FAILED", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    const tar = makeTar([{ name: "big", content: new Uint8Array(5000) }]);
    await Deno.writeFile(join(recipe, "cut.tar.gz"), gzipSync(tar.subarray(0, 2048)));
    await assertRejects(
      () => prepare(recipe, ["cut.tar.gz"], join(dir, "src")),
      ExtractFailedError,
    );
  });
});

Deno.test("prepareSrcdir() stops an extraction when its signal aborts", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    const members = Array.from(
      { length: 50 },
      (_, i) => ({ name: `f${i}`, content: "x".repeat(1000) }),
    );
    await Deno.writeFile(join(recipe, "many.tar.gz"), gzipSync(makeTar(members)));
    const plan = planSources(pkgbuildWith({ source: ["many.tar.gz"], sha256sums: ["SKIP"] }));
    const fetched = await fetchSources(plan, { cacheDir: join(dir, "cache"), recipeDir: recipe });
    const controller = new AbortController();
    const srcdir = join(dir, "src");
    const error = await assertRejects(() =>
      prepareSrcdir(fetched, srcdir, {
        signal: controller.signal,
        onEvent: (e) => e.type === "source.extract" && controller.abort(),
      }), CancelledError);
    assertEquals(error.code, "CANCELLED");
    assert((await walk(srcdir)).length < 50);
  });
});

Deno.test("prepareSrcdir() replaces a symlink by a later file of the same name without following it", async () => {
  await withTempDir(async (dir) => {
    const outside = join(dir, "outside");
    const recipe = join(dir, "recipe");
    await Deno.mkdir(outside);
    await Deno.mkdir(recipe);
    await Deno.writeTextFile(join(outside, "victim"), "original");
    await Deno.writeFile(
      join(recipe, "swap.tar"),
      makeTar([
        { name: "x", type: "2", linkname: join(outside, "victim") },
        { name: "x", content: "inside" },
      ]),
    );
    const srcdir = join(dir, "src");
    await prepare(recipe, ["swap.tar"], srcdir);
    assertEquals(await Deno.readTextFile(join(outside, "victim")), "original");
    assert((await Deno.lstat(join(srcdir, "x"))).isFile);
    assertEquals(await Deno.readTextFile(join(srcdir, "x")), "inside");
  });
});

Deno.test("prepareSrcdir() stops a large extraction mid-way when its signal aborts", async () => {
  await withTempDir(async (dir) => {
    const recipe = join(dir, "recipe");
    await Deno.mkdir(recipe);
    // 40 MiB of poorly compressible members.
    const members = Array.from({ length: 40 }, (_, i) => ({
      name: `part${i}.bin`,
      content: testBytes(1 << 20, i + 1),
    }));
    await Deno.writeFile(join(recipe, "big.tar.gz"), gzipSync(makeTar(members), { level: 1 }));
    const plan = planSources(pkgbuildWith({ source: ["big.tar.gz"], sha256sums: ["SKIP"] }));
    const fetched = await fetchSources(plan, { cacheDir: join(dir, "cache"), recipeDir: recipe });
    const controller = new AbortController();
    const srcdir = join(dir, "src");
    const watcher = (async () => {
      // Abort once the first members are out (the extraction gives the event loop a turn every 8 MiB).
      while (!controller.signal.aborted) {
        const files = await walk(srcdir).catch(() => []);
        if (files.length > 0) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const error = await assertRejects(
      () => prepareSrcdir(fetched, srcdir, { signal: controller.signal }),
      CancelledError,
    );
    await watcher;
    assertEquals(error.code, "CANCELLED");
    const left = (await walk(srcdir)).filter((f) => f.startsWith("part"));
    // It had started (the watcher saw a file) and stopped before the end.
    assert(left.length < 40, `${left.length} members extracted`);
    // The sanitizers fail this test if a file were left open.
  });
});
