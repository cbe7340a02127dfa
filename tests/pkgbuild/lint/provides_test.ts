import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintProvides } from "../../../src/pkgbuild/lint/provides.ts";
const run = (provides: string[]) => {
  const p = makePkgbuild({ ...base, provides });
  return messages(lintProvides(p, lintContext(p)));
};

Deno.test("lintProvides() accepts name and name=version", () => {
  assertEquals(run(["foo", "libfoo.so=1-64", "bar=1:2.0-1"]), []);
});
Deno.test("lintProvides() rejects comparison operators", () => {
  assertEquals(run(["foo>=1"]), ["provides array cannot contain comparison (< or >) operators"]);
});
Deno.test("lintProvides() rejects an empty version", () => {
  assertEquals(run(["foo="]), ["pkgver in provides is not allowed to be empty"]);
});
