/**
 * Each command under the compiled binary's flags, as a subprocess, with
 * real catalogs (a directory and `catalog serve` over HTTP on 127.0.0.1).
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { CONTROL_CODES, REPO, runCli } from "./_cli.ts";
import { serveWithCli } from "./_serve.ts";

const DEMO = join(REPO, "fixtures/demo");

function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split("\n");
  assertEquals(lines.pop(), "", "output ends with a newline");
  return lines.map((l) => JSON.parse(l));
}

Deno.test("search lists a catalog directory's workers, as text and as JSON", async () => {
  const text = await runCli(["search", "--catalog", DEMO]);
  assertEquals(text.code, 0, text.stderr);
  assertEquals(text.stdout.split("\n").map((l) => l.split(/\s+/)[0]), [
    "demo-build",
    "demo-hello",
    "",
  ]);
  assert(!CONTROL_CODES.test(text.stdout + text.stderr));
  const json = await runCli(["search", "hello", "--catalog", DEMO, "--json"]);
  const last = jsonLines(json.stdout).at(-1)!;
  assertEquals(last.type, "result");
  assertEquals((last.result as { id: string }[]).map((e) => e.id), ["demo-hello"]);
});

Deno.test("catalog serve serves the demo over HTTP to info, and stops with exit 130 on SIGINT", async () => {
  let served: Awaited<ReturnType<typeof serveWithCli>> | undefined;
  try {
    served = await serveWithCli(DEMO);
    const info = await runCli(["info", "demo-hello", "--catalog", served.url]);
    assertEquals(info.code, 0, info.stderr);
    assertStringIncludes(info.stdout, "demo-hello\n  name:           Demo hello (binary-only)\n");
    assertStringIncludes(info.stdout, "  architectures:  x86_64, aarch64\n");
    const json = await runCli(["info", "demo-build", "--catalog", served.url, "--json"]);
    const entry = jsonLines(json.stdout).at(-1)!.result as Record<string, unknown>;
    assertEquals(entry.pkgbuild_url, `${served.url}/workers/demo-build/PKGBUILD`);
    const missing = await runCli(["info", "nope", "--catalog", served.url]);
    assertEquals(missing.code, 3);
    assertEquals(missing.stderr.split("\n").length, 2, missing.stderr);
  } finally {
    if (served) {
      served.process.kill("SIGINT");
      const status = await served.process.status;
      assertEquals(status.code, 130);
      await served[Symbol.asyncDispose]();
      assert(served.lines.some((l) => JSON.parse(l).type === "catalog.request"));
      assertEquals(JSON.parse(served.lines.at(-1)!).type, "result");
    }
  }
});

Deno.test("info reports an unreachable catalog with exit 13 and one line", async () => {
  const run = await runCli(["info", "demo-hello", "--catalog", "http://127.0.0.1:9"]);
  assertEquals(run.code, 13);
  assertEquals(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
  assertEquals(run.stdout, "");
});

Deno.test("list prints nothing for an empty root and an empty JSON array with --json", async () => {
  const root = await Deno.makeTempDir();
  try {
    const text = await runCli(["list", "--root", root]);
    assertEquals(text.code, 0, text.stderr);
    assertEquals(text.stdout, "");
    assertEquals(text.stderr, "no worker is installed\n");
    const json = await runCli(["list", "--root", root, "--json"]);
    assertEquals(jsonLines(json.stdout), [{
      type: "result",
      v: 1,
      ok: true,
      command: "list",
      result: [],
    }]);
    const quiet = await runCli(["list", "--root", root, "-q"]);
    assertEquals(quiet.stderr, "");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("cache list shows cached items and cache clean removes them", async () => {
  const cache = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(cache, "content/sha256"), { recursive: true });
    await Deno.writeTextFile(join(cache, "content/sha256/ab12"), "x".repeat(2048));
    await Deno.mkdir(join(cache, "git/k1/repo/objects"), { recursive: true });
    await Deno.writeTextFile(join(cache, "git/k1/repo/objects/o"), "y".repeat(10));
    const list = await runCli(["cache", "list", "--cache-dir", cache]);
    assertEquals(list.code, 0, list.stderr);
    assertEquals(list.stdout, "   2.0 KiB  content/sha256/ab12\n      10 B  git/k1/repo\n");
    const clean = await runCli(["cache", "clean", "--cache-dir", cache, "--json"]);
    assertEquals(clean.code, 0, clean.stderr);
    assertEquals(jsonLines(clean.stdout).at(-1)!.result, {
      dir: cache,
      removed: 2,
      bytes: 2058,
      freedBytes: 2058,
    });
    assertEquals([...Deno.readDirSync(cache)], []);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("cache with an unknown action is a usage error", async () => {
  const run = await runCli(["cache", "purge", "--cache-dir", "/nonexistent"]);
  assertEquals(run.code, 2);
  assertEquals(
    run.stderr,
    "error: Unknown cache action purge; use `cache list` or `cache clean`\n",
  );
});
