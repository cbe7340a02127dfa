import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintSource } from "../../../src/pkgbuild/lint/source.ts";
Deno.test("lintSource() rejects a source array with holes", () => {
  const sparse: string[] = [];
  sparse[0] = "a";
  sparse[2] = "b";
  const p = makePkgbuild({ ...base, source: sparse });
  assertEquals(messages(lintSource(p, lintContext(p))), [
    "Sparse arrays are not allowed for source",
  ]);
});
Deno.test("lintSource() accepts a dense source array", () => {
  const p = makePkgbuild({ ...base, source: ["a", "b"] });
  assertEquals(lintSource(p, lintContext(p)), []);
});
