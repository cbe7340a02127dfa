import { join } from "node:path";
import { assertEquals, assertRejects } from "../_assert.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import type { Pkgbuild } from "../../src/pkgbuild/model.ts";
import { RecipeNotFoundError } from "../../src/provision/errors.ts";
import {
  isRecipePath,
  isStaticRefusal,
  parseOrReadTrusted,
  readRecipeFile,
} from "../../src/provision/recipe.ts";

Deno.test("isRecipePath() takes paths and PKGBUILD files as recipes, anything else as a catalog id", () => {
  for (const arg of [".", "..", "./x", "recipes/demo", "/abs/dir", "PKGBUILD", "dir/PKGBUILD"]) {
    assertEquals(isRecipePath(arg), true, arg);
  }
  for (const arg of ["demo-hello", "llm-worker-rbee-cpu", "a.b_c+d@e"]) {
    assertEquals(isRecipePath(arg), false, arg);
  }
});

Deno.test("readRecipeFile() reads a directory's PKGBUILD or a PKGBUILD file, and names a missing one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "PKGBUILD"), "pkgname=x\n");
    const fromDir = await readRecipeFile(dir);
    assertEquals(fromDir, { dir, file: join(dir, "PKGBUILD"), text: "pkgname=x\n" });
    assertEquals(await readRecipeFile(join(dir, "PKGBUILD")), fromDir);
    const empty = join(dir, "empty");
    await Deno.mkdir(empty);
    const error = await assertRejects(() => readRecipeFile(empty), RecipeNotFoundError);
    assertEquals(error.code, "RECIPE_NOT_FOUND");
    assertEquals(error.hint, "give a PKGBUILD file or a directory that holds one");
    await assertRejects(() => readRecipeFile(join(dir, "nope", "PKGBUILD")), RecipeNotFoundError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const REFUSED = 'pkgname=x\npkgver=1\npkgrel=1\narch=(any)\npkgdesc="$(uname)"\n';
const SYNTAX_ERROR = "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\nif then\n";
const TRUSTED: Pkgbuild = parsePkgbuild("pkgname=trusted\npkgver=1\npkgrel=1\narch=(any)\n");

Deno.test("parseOrReadTrusted() uses the trusted reader only for a refusal, and only when given", async () => {
  let reads = 0;
  const readTrusted = () => {
    reads++;
    return Promise.resolve(TRUSTED);
  };
  assertEquals(await parseOrReadTrusted(() => parsePkgbuild(REFUSED), readTrusted), TRUSTED);
  assertEquals(reads, 1);
  const refusal = await assertRejects(() => parseOrReadTrusted(() => parsePkgbuild(REFUSED)));
  assertEquals(isStaticRefusal(refusal), true);
  const syntax = await assertRejects(() =>
    parseOrReadTrusted(() => parsePkgbuild(SYNTAX_ERROR), readTrusted)
  );
  assertEquals(isStaticRefusal(syntax), false);
  assertEquals(reads, 1);
});
