/**
 * The seam between the bash library and the PKGBUILD engine: every file of
 * `src/pkgbuild/` that imports from `src/bash/` imports `src/bash/mod.ts`
 * and nothing else there, and no file of `src/bash/` imports anything of
 * `src/pkgbuild/` (the bash library knows no makepkg).
 */

import { assert, assertEquals } from "../_assert.ts";
import { dirname, join, relative, resolve } from "node:path";

const SRC = new URL("../../src", import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...tsFiles(path));
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The files `file` imports or re-exports by relative path, resolved to paths under src/. */
function importsOf(file: string): string[] {
  const text = Deno.readTextFileSync(file);
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.[^"']+)["']/g)];
  return specs.map((m) => relative(SRC, resolve(dirname(file), m[1])));
}

Deno.test("src/pkgbuild/** imports only src/bash/mod.ts from the bash library", () => {
  const files = tsFiles(join(SRC, "pkgbuild"));
  assert(files.length > 20, `only ${files.length} files under src/pkgbuild`);
  const crossings = files.flatMap((f) =>
    importsOf(f).filter((i) => i.startsWith("bash/")).map((i) => `${relative(SRC, f)} -> ${i}`)
  );
  assert(crossings.length > 0, "src/pkgbuild no longer uses the bash library");
  assertEquals(crossings.filter((c) => !c.endsWith("-> bash/mod.ts")), []);
});

Deno.test("nothing in src/bash/** imports src/pkgbuild", () => {
  const files = tsFiles(join(SRC, "bash"));
  assert(files.length > 20, `only ${files.length} files under src/bash`);
  const crossings = files.flatMap((f) =>
    importsOf(f).filter((i) => !i.startsWith("bash/") && i !== "errors.ts")
      .map((i) => `${relative(SRC, f)} -> ${i}`)
  );
  assertEquals(crossings, []);
});

Deno.test("no file of src/bash is named like a test or has more than ~400 lines (410)", () => {
  const files = tsFiles(join(SRC, "bash"));
  assertEquals(files.filter((f) => /_test\.ts$|test_\w+\.ts$/.test(f)), []);
  const long = files.map((f) => [relative(SRC, f), Deno.readTextFileSync(f).split("\n").length])
    .filter(([, n]) => (n as number) > 410);
  assertEquals(long, []);
});

Deno.test("the code of src/bash (outside comments) names no makepkg and no PKGBUILD", () => {
  const hits: string[] = [];
  for (const f of tsFiles(join(SRC, "bash"))) {
    Deno.readTextFileSync(f).split("\n").forEach((line, i) => {
      const code = line.trim();
      if (/^(\*|\/\/|\/\*\*)/.test(code)) return;
      if (/makepkg|pkgbuild/i.test(code.replace(/ExitCode\.pkgbuildInvalid/g, ""))) {
        hits.push(`${relative(SRC, f)}:${i + 1}: ${code}`);
      }
    });
  }
  assertEquals(hits, []);
});
