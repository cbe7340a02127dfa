/**
 * `cache list` says what each cached file is and which workers use it, and
 * marks partial downloads; `cache clean` removes them all.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { REPO, runCli } from "./_cli.ts";

const DEMO = join(REPO, "fixtures/demo");

Deno.test("cache list names each cached source and the workers that fetched it", async () => {
  const t = await Deno.makeTempDir();
  try {
    const cache = `${t}/cache`;
    for (const id of ["demo-hello", "demo-build"]) {
      const run = await runCli([
        "install",
        id,
        "--catalog",
        DEMO,
        "--root",
        `${t}/root`,
        "--cache-dir",
        cache,
        "-q",
      ]);
      assertEquals(run.code, 0, run.stderr);
    }
    const sum = (await Deno.readTextFile(join(DEMO, "workers/demo-hello/PKGBUILD")))
      .match(new RegExp(`sha256sums_${Deno.build.arch}=\\('([0-9a-f]+)'\\)`))![1];
    await Deno.writeTextFile(`${cache}/content/sha256/${"0".repeat(64)}.part`, "partial");
    const list = await runCli(["cache", "list", "--cache-dir", cache]);
    assertEquals(list.code, 0, list.stderr);
    assertStringIncludes(
      list.stdout,
      `content/sha256/${sum.slice(0, 12)}…  demo-hello-1.0.0-${Deno.build.arch}.tar.gz; ` +
        "used by demo-hello\n",
    );
    assertStringIncludes(list.stdout, "demo-build-1.0.0.tar.gz; used by demo-build\n");
    assertStringIncludes(list.stdout, "partial download, resumed by the next run\n");
    // the kept build's files are the installed files (hard links): listed as shared
    assertMatch(
      list.stdout,
      /demo-hello 1\.0\.0-1 package; used by demo-hello; \d+ B shared with installed files\n/,
    );
    assertMatch(list.stderr, /shared with installed files, not freed by clean/);
    const json = await runCli(["cache", "list", "--cache-dir", cache, "--json"]);
    const result = JSON.parse(json.stdout.trimEnd().split("\n").at(-1)!).result as {
      items: { path: string; names?: string[]; usedBy?: string[] }[];
    };
    const hello = result.items.find((i) => i.path === `content/sha256/${sum}`)!;
    assertEquals([hello.names, hello.usedBy], [
      [`demo-hello-1.0.0-${Deno.build.arch}.tar.gz`],
      ["demo-hello"],
    ]);
    assertEquals(result.items.some((i) => i.path.endsWith(".verified")), false);
    const clean = await runCli(["cache", "clean", "--cache-dir", cache]);
    assertEquals(clean.code, 0, clean.stderr);
    assertMatch(clean.stdout, /freed \(\d+ B stay: installed files share them\)\n$/);
    assertEquals([...Deno.readDirSync(cache)], []);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
