import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { checkPkgver, lintPkgver } from "../../../src/pkgbuild/lint/pkgver.ts";
const run = (pkgver: string) => {
  const p = makePkgbuild({ ...base, pkgver });
  return messages(lintPkgver(p, lintContext(p)));
};

Deno.test("lintPkgver() accepts dots, underscores, plus and tilde", () => {
  assertEquals(run("1.0_rc1+git~b"), []);
});
Deno.test("lintPkgver() rejects colons, slashes, hyphens and whitespace", () => {
  for (const v of ["1:0", "1/0", "1-0", "1 0", "1\t0"]) {
    assertEquals(run(v), [
      "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace",
    ]);
  }
});
Deno.test("lintPkgver() rejects empty and non-ascii versions", () => {
  assertEquals(run(""), ["pkgver is not allowed to be empty"]);
  assertEquals(run("1.0é"), ["pkgver may only contain ascii characters"]);
});
Deno.test("checkPkgver() names the array a version came from", () => {
  assertEquals(messages(checkPkgver("depends", "", "depends")), [
    "pkgver in depends is not allowed to be empty",
  ]);
});
