/**
 * `srcinfo` and `lint` through the CLI, under the compiled binary's flags.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { parsePkgbuild, toSrcinfo } from "../../src/pkgbuild/mod.ts";
import { REPO, runCli } from "./_cli.ts";

const DEMO = join(REPO, "fixtures/demo");

async function withRecipe(text: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "PKGBUILD"), text);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("srcinfo prints exactly what toSrcinfo() returns, for a directory or a PKGBUILD path", async () => {
  for (const carch of ["x86_64", "aarch64"]) {
    const text = await Deno.readTextFile(join(DEMO, "workers/demo-hello/PKGBUILD"));
    const expected = toSrcinfo(parsePkgbuild(text, { carch }));
    const byDir = await runCli(["srcinfo", join(DEMO, "workers/demo-hello"), "--carch", carch]);
    assertEquals(byDir.code, 0, byDir.stderr);
    assertEquals(byDir.stdout, expected);
    assertEquals(byDir.stderr, "");
    const byFile = await runCli([
      "srcinfo",
      join(DEMO, "workers/demo-hello/PKGBUILD"),
      "--carch",
      carch,
    ]);
    assertEquals(byFile.stdout, expected);
  }
});

Deno.test("srcinfo --json ends with the .SRCINFO in the result object", async () => {
  const run = await runCli([
    "srcinfo",
    join(DEMO, "workers/demo-build"),
    "--json",
    "--carch",
    "x86_64",
  ]);
  const last = JSON.parse(run.stdout.trimEnd().split("\n").at(-1)!);
  assertEquals(last.ok, true);
  assertEquals(last.result.carch, "x86_64");
  assertStringIncludes(last.result.srcinfo, "pkgbase = demo-build\n");
});

Deno.test("srcinfo exits 10 with one line on a syntax error", async () => {
  await withRecipe("pkgname=x\npkgver=1\npkgrel=1\narch=(any\n", async (dir) => {
    const run = await runCli(["srcinfo", dir]);
    assertEquals(run.code, 10);
    assertEquals(run.stdout, "");
    assertEquals(run.stderr.split("\n").length, 2, run.stderr);
    assertMatch(run.stderr, /^error: /);
  });
});

Deno.test("srcinfo exits 10 with one line on a construct the static evaluator refuses", async () => {
  await withRecipe(
    "pkgname=x\npkgver=$(uname -r)\npkgrel=1\narch=(any)\npackage() { :; }\n",
    async (dir) => {
      const run = await runCli(["srcinfo", dir]);
      assertEquals(run.code, 10, run.stderr);
      assertEquals(run.stderr.split("\n").length, 2, run.stderr);
    },
  );
});

Deno.test("srcinfo refuses a PKGBUILD with a lint error, as makepkg --printsrcinfo does", async () => {
  await withRecipe(
    "pkgname=x\npkgver=1-2\npkgrel=1\narch=(any)\npackage() { :; }\n",
    async (dir) => {
      const run = await runCli(["srcinfo", dir]);
      assertEquals(run.code, 10);
      assertEquals(run.stdout, "");
      assertMatch(
        run.stderr,
        /^error: .*PKGBUILD: .+; run `worker-provisioner lint` for every finding\n$/,
      );
    },
  );
});

Deno.test("lint prints one finding per line and exits 10 on an error, 0 when clean", async () => {
  await withRecipe(
    "pkgname=X\npkgver=1-2\npkgrel=1\narch=(any)\npackage() { :; }\n",
    async (dir) => {
      const run = await runCli(["lint", join(dir, "PKGBUILD")]);
      assertEquals(run.code, 10);
      const lines = run.stdout.trimEnd().split("\n");
      assertEquals(lines.length >= 1, true, run.stdout);
      for (const line of lines) assertMatch(line, /^(error|warning): .+ \[[a-z_]+\]$/);
    },
  );
  const clean = await runCli(["lint", join(DEMO, "workers/demo-build")]);
  assertEquals(clean.code, 0, clean.stdout);
  assertEquals(clean.stdout, "");
  assertMatch(clean.stderr, /PKGBUILD: no findings\n$/);
});

Deno.test("srcinfo reports a missing recipe with exit 3", async () => {
  const run = await runCli(["srcinfo", "/nonexistent/recipe"], {
    // srcinfo is loaded on use (src/cli/_load.ts): from files it also reads src/.
    flags: ["--allow-read=/nonexistent", `--allow-read=${REPO}src`, "--no-prompt"],
  });
  assertEquals(run.code, 3);
  assertEquals(
    run.stderr,
    "error: Recipe /nonexistent/recipe was not found (no PKGBUILD there); give a PKGBUILD file or a directory that holds one\n",
  );
});

Deno.test("srcinfo --trusted falls back to a sandboxed bash for a refused construct", async () => {
  const text =
    'pkgname=x\npkgver=1\npkgrel=1\npkgdesc="$(uname -s | tr a-z A-Z)"\narch=(any)\npackage() { :; }\n';
  await withRecipe(text, async (dir) => {
    const refused = await runCli(["srcinfo", dir]);
    assertEquals(refused.code, 10, refused.stderr);
    const run = await runCli(["srcinfo", dir, "--trusted"]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "\tpkgdesc = LINUX\n");
  });
});
