/** The sandbox shows the object directories git checkouts in srcdir borrow from their cache mirror. */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { gitAlternates } from "../../src/run/_srcdir.ts";

Deno.test("gitAlternates() lists the mirrors' object directories outside srcdir and the visible ones", async () => {
  const t = await Deno.makeTempDir();
  try {
    const srcdir = join(t, "src");
    await Deno.mkdir(join(srcdir, "repo/.git/objects/info"), { recursive: true });
    await Deno.mkdir(join(srcdir, "plain"));
    await Deno.writeTextFile(
      join(srcdir, "repo/.git/objects/info/alternates"),
      `${t}/cache/git/k/repo/objects\n# comment\n../../../../startdir/objects\n`,
    );
    assertEquals(gitAlternates(srcdir, [join(t, "startdir")]), [`${t}/cache/git/k/repo/objects`]);
    assertEquals(gitAlternates(srcdir, [join(t, "cache")]), [`${t}/startdir/objects`]);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
