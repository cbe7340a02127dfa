/**
 * Binary worker packages: pacman 6.0.2 installs what `build` writes and
 * `pacman -Qkk` finds nothing altered; two builds in different build
 * directories at different times give identical bytes; reading verifies
 * every file against the manifest.
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { readPackage } from "../../src/package/read.ts";
import { PackageCorruptError } from "../../src/package/errors.ts";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import { buildFixture, EPOCH, haveGcc, run } from "./_build.ts";

const havePacman = (() => {
  try {
    return Deno.statSync("/usr/bin/pacman").isFile;
  } catch {
    return false;
  }
})();

const work = await Deno.makeTempDir({ prefix: "wp-package-" });
const first = haveGcc() ? buildFixture(work, "first") : null;

Deno.test({
  name: "build twice, in other build directories and a second later, gives the same bytes",
  ignore: !haveGcc(),
  async fn() {
    const a = await first!;
    await new Promise((r) => setTimeout(r, 1100));
    const b = await buildFixture(work, "second");
    assertEquals(b.fileName, "tidy-elf-1.0-1-x86_64.pkg.tar.zst");
    assertEquals(b.sha256, a.sha256);
    assertEquals(await Deno.readFile(b.path), await Deno.readFile(a.path));
  },
});

Deno.test({
  name: "pacman -U --root installs a built package and pacman -Qkk finds nothing altered",
  ignore: !haveGcc() || !havePacman,
  async fn() {
    const pkg = await first!;
    const root = join(work, "pacman-root");
    await Deno.mkdir(join(root, "var/lib/pacman"), { recursive: true });
    const conf = join(work, "pacman.conf");
    await Deno.writeTextFile(
      conf,
      "[options]\nArchitecture = auto\nSigLevel = Never\nLocalFileSigLevel = Never\n",
    );
    const common = ["--config", conf, "--root", root, "--dbpath", join(root, "var/lib/pacman")];
    const add = await run("pacman", [
      ...common,
      "-U",
      "--noconfirm",
      "--noscriptlet",
      "-dd",
      pkg.path,
    ]);
    assertEquals(add.code, 0, add.stderr);
    const check = await run("pacman", [...common, "-Qkk", "tidy-elf"]);
    assertEquals(check.code, 0, check.stdout + check.stderr);
    assert(/tidy-elf: \d+ total files, 0 altered files/.test(check.stdout), check.stdout);
    const info = await run("pacman", [...common, "-Qi", "tidy-elf"]);
    assert(info.stdout.includes("1.0-1"), info.stdout);
    const hello = await run(join(root, "usr/bin/hello-pie"), []);
    assertEquals(hello.stdout, "42\n");
    assertEquals(
      (await Deno.lstat(join(root, "usr/bin/hello-pie"))).mtime?.getTime(),
      EPOCH * 1000,
    );
  },
});

Deno.test({
  name: "readPackage() verifies every file against the manifest and extracts the tree",
  ignore: !haveGcc(),
  async fn() {
    const pkg = await first!;
    const dest = join(work, "read");
    const got = await readPackage(pkg.path, dest, { sha256: pkg.sha256 });
    assertEquals(got.manifest, pkg.manifest);
    assertEquals(got.manifest.id, "tidy-elf");
    assertEquals(got.manifest.source_date_epoch, EPOCH);
    assert(got.pkginfo.includes("pkgname = tidy-elf\n"));
    const entry = got.manifest.files.find((f) => f.path === "usr/bin/hello-readonly")!;
    assertEquals(entry.mode, 0o555);
    assertEquals((await Deno.lstat(join(dest, "usr/bin/hello-readonly"))).mode! & 0o7777, 0o555);
    assertEquals(
      await Deno.readLink(join(dest, "usr/share/man/man1/hello-alias.1.gz")),
      got.manifest.files.find((f) => f.path === "usr/share/man/man1/hello-alias.1.gz")!.target,
    );
  },
});

Deno.test({
  name:
    "readPackage() refuses a package whose file content differs from its manifest, and a wrong file digest",
  ignore: !haveGcc(),
  async fn() {
    const pkg = await first!;
    const tar = (await run("zstd", ["-dc", pkg.path])).bytes;
    const marker = new TextEncoder().encode("says the answer");
    const at = indexOf(tar, marker);
    assert(at > 0, "marker found in the tar");
    tar[at] = "S".charCodeAt(0);
    const tampered = join(work, "tampered.pkg.tar.zst");
    await Deno.writeFile(tampered, (await run("zstd", ["-q", "-c"], tar)).bytes);
    await assertRejects(() => readPackage(tampered, join(work, "t1")), PackageCorruptError);
    await assertRejects(
      () => readPackage(pkg.path, join(work, "t2"), { sha256: "0".repeat(64) }),
      PackageCorruptError,
    );
  },
});

Deno.test("a recipe with a git source builds the same bytes twice without SOURCE_DATE_EPOCH: the commit time is used", async () => {
  const repo = join(work, "upstream");
  await Deno.mkdir(repo, { recursive: true });
  const git = async (...args: string[]) => (await run("git", ["-C", repo, ...args])).stdout.trim();
  await git("init", "-q", "-b", "main");
  await Deno.writeTextFile(join(repo, "worker.sh"), "echo hi\n");
  await git("add", ".");
  await run(
    "git",
    [
      "-C",
      repo,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "commit",
      "-qm",
      "one",
      "--date=@1650000000",
    ],
    undefined,
    { GIT_COMMITTER_DATE: "@1650000000" },
  );
  const recipe = join(work, "git-recipe");
  await Deno.mkdir(recipe, { recursive: true });
  await Deno.writeTextFile(
    join(recipe, "PKGBUILD"),
    `pkgname=git-built\npkgver=1\npkgrel=1\narch=('x86_64')\nlicense=('MIT')\nsource=("git+file://${repo}#branch=main")\nsha256sums=('SKIP')\n\npackage() {\n  install -Dm755 "$srcdir/upstream/worker.sh" "$pkgdir/usr/local/bin/git-built"\n}\n`,
  );
  const p = (tag: string) =>
    new WorkerProvisioner({
      root: join(work, tag),
      cacheDir: join(work, tag, "c"),
      arch: "x86_64",
    });
  const a = (await p("g1").build(recipe, { outputDir: join(work, "g1-out") })).packages[0];
  await new Promise((r) => setTimeout(r, 1100));
  const b = (await p("g2").build(recipe, { outputDir: join(work, "g2-out") })).packages[0];
  assertEquals(b.sha256, a.sha256);
  assertEquals(a.manifest.source_date_epoch, 1650000000);
  assertEquals(a.manifest.sources[0].commit, await git("rev-parse", "HEAD"));
});

Deno.test({
  name: "the package work directory is removed",
  fn: async () => {
    await first?.catch(() => {});
    await Deno.remove(work, { recursive: true });
  },
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
