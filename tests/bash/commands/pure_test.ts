import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { baseName, dirName } from "../../../src/bash/commands/pure.ts";

/** basename and dirname, run by the evaluator itself, against the real coreutils. */
const PURE_COMMAND_CASES: string[] = [
  `echo "$(basename /a/b.tar.gz .tar.gz)" $(basename a/b/) $(basename /) "[$(basename "")]"`,
  `echo $(basename -s .gz x.gz y.gz) $(basename -a a/b c/d) $(basename .gz .gz) $(basename -- -x)`,
  `echo $(basename -sx ax) $(basename //) $(basename a//b//) "$(basename 'a b/c d')"`,
  `url=https://github.com/o/rocm-smi; src=(rocm-smi::$url/archive/rocm-3.7.0.tar.gz)`,
  `u=https://x/y/z.git; echo "$(basename "$u" .git)-$(basename "\${u%/*}")"`,
  `echo $(dirname /a/b) $(dirname a) $(dirname /a) $(dirname a/b/) $(dirname //a//b//)`,
  `echo "[$(dirname "")]" $(dirname a b/c) $(dirname /) $(dirname //a) $(dirname ///a/b)`,
  `basename x >/dev/null && echo ok; v=$(dirname a/b 2>/dev/null); echo "$v"`,
];

Deno.test("basename and dirname give what coreutils gives", async () => {
  const { mismatches, refused } = await compareWithBash(PURE_COMMAND_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("baseName() and dirName() split paths as coreutils does", () => {
  assertEquals(baseName("/usr/lib/libx.so", ".so"), "libx");
  assertEquals(baseName("///"), "/");
  assertEquals(baseName("x.so", "x.so"), "x.so");
  assertEquals(dirName("a/b//"), "a");
  assertEquals(dirName("rel"), ".");
});

Deno.test("basename and dirname refuse options they do not support and missing operands", () => {
  for (const code of ["basename -z a", "basename", "dirname", "basename a b c", "dirname -z a"]) {
    const got = evalSnippet(code);
    assertEquals("refused" in got, true, code);
  }
  assertEquals(evalSnippet("builtin basename a"), {
    refused: "builtin basename is not supported",
  });
});
