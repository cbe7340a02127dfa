import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPkglist } from "../../../src/pkgbuild/lint/pkglist.ts";
Deno.test("lintPkglist() rejects requested packages that pkgname lacks", () => {
  const p = makePkgbuild({ ...base, pkgname: ["a", "b"] });
  assertEquals(messages(lintPkglist(p, lintContext(p, { pkglist: ["a", "c"] }))), [
    "Requested package c is not provided in PKGBUILD",
  ]);
  assertEquals(lintPkglist(p, lintContext(p)), []);
});
