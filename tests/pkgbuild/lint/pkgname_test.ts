import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPkgname } from "../../../src/pkgbuild/lint/pkgname.ts";
const run = (pkgname: string | string[]) =>
  messages(lintPkgname(makePkgbuild({ ...base, pkgname }), lintContext(makePkgbuild(base))));

Deno.test("lintPkgname() accepts names made of alnum and +_.@-", () => {
  assertEquals(run(["foo", "lib32-a+b_c.d@e"]), []);
});
Deno.test("lintPkgname() rejects an empty pkgname", () => {
  assertEquals(run(""), ["pkgname is not allowed to be empty"]);
  assertEquals(run([]), ["pkgname is not allowed to be empty"]);
});
Deno.test("lintPkgname() rejects a leading hyphen or dot", () => {
  assertEquals(run("-foo"), ["pkgname is not allowed to start with a hyphen"]);
  assertEquals(run(".foo"), ["pkgname is not allowed to start with a dot"]);
});
Deno.test("lintPkgname() names the invalid characters", () => {
  assertEquals(run("a!b$c d"), ["pkgname contains invalid characters: '!$ '"]);
});
Deno.test("lintPkgname() rejects non-ascii names once", () => {
  assertEquals(run("café"), ["pkgname may only contain ascii characters"]);
});
Deno.test("lintPkgname() checks every element of a split pkgname", () => {
  assertEquals(run(["ok", "", "-bad"]), [
    "pkgname is not allowed to be empty",
    "pkgname is not allowed to start with a hyphen",
  ]);
});
