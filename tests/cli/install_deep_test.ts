/**
 * `install --deep` re-hashes the kept build before using it: an edit that
 * keeps a shared file's size and mtime (invisible to the entry's stamps) is
 * caught, the entry discarded and the worker built again; without `--deep`
 * the same entry is used.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { REPO, runCli } from "./_cli.ts";

const DEMO = join(REPO, "fixtures/demo");
const BIN = "usr/local/bin/demo-hello";

function install(root: string, cache: string, ...extra: string[]) {
  return runCli([
    "install",
    "demo-hello",
    "--catalog",
    DEMO,
    "--root",
    root,
    "--cache-dir",
    cache,
    "--json",
    ...extra,
  ]);
}

/** The `provision.cached` states a run's `--json` events report. */
function cacheStates(stdout: string): string[] {
  return stdout.trimEnd().split("\n").map((line) => JSON.parse(line))
    .filter((e) => e.type === "provision.cached").map((e) => e.state);
}

Deno.test("install --deep catches a same-size, same-mtime edit of a cached file; without it the entry is used", async () => {
  const t = await Deno.makeTempDir();
  try {
    const cache = `${t}/cache`;
    const first = await install(`${t}/a`, cache);
    assertEquals(first.code, 0, first.stderr);
    const file = join(t, "a", BIN);
    const pristine = await Deno.readTextFile(file);
    const before = await Deno.stat(file);
    assertEquals(before.nlink, 2, "root a shares its file with the cache entry");
    // Same size, then the mtime put back: the entry's stamp still matches.
    const edited = pristine.replace(/[a-z]/, (c) => c === "x" ? "y" : "x");
    assertEquals(edited.length, pristine.length);
    await Deno.writeTextFile(file, edited);
    await Deno.utime(file, before.atime!, before.mtime!);

    const trusting = await install(`${t}/b`, cache);
    assertEquals(trusting.code, 0, trusting.stderr);
    assertEquals(cacheStates(trusting.stdout), ["hit"], "without --deep the stamps are trusted");

    const deep = await install(`${t}/c`, cache, "--deep");
    assertEquals(deep.code, 0, deep.stderr);
    const states = cacheStates(deep.stdout);
    assertEquals(states[0], "damaged", deep.stdout);
    assert(states.includes("stored"), `the rebuilt worker is kept again: ${states}`);
    assertEquals(await Deno.readTextFile(join(t, "c", BIN)), pristine);
    assertEquals(await Deno.readTextFile(file), edited, "root a's edited file is left alone");
    assertStringIncludes(deep.stdout, "damaged");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
