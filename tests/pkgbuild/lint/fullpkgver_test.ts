import { assertEquals } from "../../_assert.ts";
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { checkFullpkgver } from "../../../src/pkgbuild/lint/fullpkgver.ts";
const run = (v: string) => messages(checkFullpkgver("depends", v, "depends"));

Deno.test("checkFullpkgver() accepts epoch:pkgver-pkgrel", () => {
  assertEquals([...run("1:2.0-3"), ...run("2.0"), ...run("2.0-1.1")], []);
});
Deno.test("checkFullpkgver() splits the epoch at the first colon and pkgrel at the last hyphen", () => {
  assertEquals(run("x:1.0"), ["epoch in depends must be an integer, not x"]);
  assertEquals(run("1.0-a-1"), [
    "pkgver in depends is not allowed to contain colons, forward slashes, hyphens or whitespace",
  ]);
  assertEquals(run("1.0-x"), ["pkgrel in depends must be of the form 'integer[.integer]', not x"]);
});
Deno.test("checkFullpkgver() treats a leading hyphen as part of pkgver", () => {
  assertEquals(run("-1"), [
    "pkgver in depends is not allowed to contain colons, forward slashes, hyphens or whitespace",
  ]);
});
