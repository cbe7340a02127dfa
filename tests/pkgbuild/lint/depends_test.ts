import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintDepends } from "../../../src/pkgbuild/lint/depends.ts";
import { splitDependency } from "../../../src/pkgbuild/lint/_dependency.ts";
const run = (vars: Record<string, string | string[]>, overrides = {}) => {
  const p = makePkgbuild({ ...base, ...vars }, overrides);
  return messages(lintDepends(p, lintContext(p)));
};

Deno.test("splitDependency() ends the name at the first comparison and takes the longest operator", () => {
  assertEquals(splitDependency("foo>=1.0"), { name: "foo", version: "1.0" });
  assertEquals(splitDependency("foo=>1"), { name: "foo", version: ">1" });
  assertEquals(splitDependency("foo"), { name: "foo" });
});
Deno.test("lintDepends() accepts names with versions and an empty version", () => {
  assertEquals(run({ depends: ["a", "b>=1:2.0-3", "c<2", "d="] }), []);
});
Deno.test("lintDepends() rejects bad names and bad versions", () => {
  assertEquals(run({ depends: ["foo&bar", "x>=1.0-y"] }), [
    "depends contains invalid characters: '&'",
    "pkgrel in depends must be of the form 'integer[.integer]', not y",
  ]);
});
Deno.test("lintDepends() checks arch-specific arrays and package overrides", () => {
  assertEquals(run({ depends_x86_64: ["bad name"] }, { foo: { depends: [".dot"] } }), [
    "depends contains invalid characters: ' '",
    "depends is not allowed to start with a dot",
  ]);
});
