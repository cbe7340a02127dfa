import * as node from "node:path";
import { pathToFileURL as nodePathToFileURL } from "node:url";
import { assert, assertEquals } from "./_assert.ts";
import * as ours from "../src/_path.ts";

const SEGMENTS = ["", ".", "..", "/", "//", "a", "b", "a.", "..a", "a..", "...", "c d", "x/", "/y"];

/** Every path of up to three of {@link SEGMENTS} joined by `/`, `//` or nothing. */
function paths(): string[] {
  const out = new Set<string>(SEGMENTS);
  for (const a of SEGMENTS) {
    for (const b of SEGMENTS) {
      for (const glue of ["/", "//", ""]) {
        out.add(`${a}${glue}${b}`);
        for (const c of ["a", "..", "/", "."]) out.add(`${a}${glue}${b}/${c}`);
      }
    }
  }
  return [...out];
}

Deno.test("normalize, dirname, basename and isAbsolute agree with node:path on every path", () => {
  const all = paths();
  assert(all.length > 1000, `only ${all.length} paths`);
  for (const p of all) {
    assertEquals(ours.normalize(p), node.normalize(p), `normalize ${JSON.stringify(p)}`);
    assertEquals(ours.dirname(p), node.dirname(p), `dirname ${JSON.stringify(p)}`);
    assertEquals(ours.basename(p), node.basename(p), `basename ${JSON.stringify(p)}`);
    assertEquals(ours.isAbsolute(p), node.isAbsolute(p), `isAbsolute ${JSON.stringify(p)}`);
  }
});

Deno.test("join, resolve and relative agree with node:path on pairs of paths", () => {
  const some = paths().filter((_, i) => i % 7 === 0);
  for (const a of some) {
    for (const b of some.slice(0, 60)) {
      assertEquals(ours.join(a, b), node.join(a, b), `join ${JSON.stringify([a, b])}`);
      assertEquals(ours.resolve(a, b), node.resolve(a, b), `resolve ${JSON.stringify([a, b])}`);
      assertEquals(ours.relative(a, b), node.relative(a, b), `relative ${JSON.stringify([a, b])}`);
    }
  }
  assertEquals(ours.join(), node.join());
  assertEquals(ours.resolve(), node.resolve());
  assertEquals(ours.resolve("/a", "", "b", "/c", "d"), node.resolve("/a", "", "b", "/c", "d"));
  assertEquals(ours.sep, node.sep);
});

Deno.test("pathToFileURL agrees with node:url on paths that need escaping", () => {
  for (
    const p of [
      "/a/b",
      "/a b/c#d?e",
      "/100%/x",
      "/tab\there",
      "/new\nline",
      "/back\\slash",
      "rel/x",
      "/dir/",
      "/ü/€",
      ".",
    ]
  ) {
    assertEquals(ours.pathToFileURL(p).href, nodePathToFileURL(p).href, JSON.stringify(p));
  }
});
