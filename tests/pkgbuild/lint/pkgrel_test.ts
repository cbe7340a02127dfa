import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPkgrel } from "../../../src/pkgbuild/lint/pkgrel.ts";
const run = (pkgrel: string) => {
  const p = makePkgbuild({ ...base, pkgrel });
  return messages(lintPkgrel(p, lintContext(p)));
};

Deno.test("lintPkgrel() accepts integer and integer.integer", () => {
  assertEquals([...run("1"), ...run("12.3")], []);
});
Deno.test("lintPkgrel() rejects other forms and says which", () => {
  assertEquals(run("1a"), ["pkgrel must be of the form 'integer[.integer]', not 1a"]);
  assertEquals(run("1.2.3"), ["pkgrel must be of the form 'integer[.integer]', not 1.2.3"]);
  assertEquals(run(".1"), ["pkgrel must be of the form 'integer[.integer]', not .1"]);
});
Deno.test("lintPkgrel() rejects an empty pkgrel", () => {
  assertEquals(run(""), ["pkgrel is not allowed to be empty"]);
});
