import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintVariable } from "../../../src/pkgbuild/lint/variable.ts";
const run = (vars: Record<string, string | string[]>, body?: string) => {
  const p = makePkgbuild({ ...base, ...vars }, {}, body ? { package: body } : {});
  return messages(lintVariable(p, lintContext(p)));
};

Deno.test("lintVariable() wants arrays for array variables", () => {
  assertEquals(run({ license: "MIT", source_x86_64: "x" }), [
    "license should be an array",
    "source_x86_64 should be an array",
  ]);
});
Deno.test("lintVariable() wants strings for string variables", () => {
  assertEquals(run({ pkgdesc: ["a", "b"] }), ["pkgdesc should not be an array"]);
});
Deno.test("lintVariable() checks the form of package function assignments", () => {
  assertEquals(run({}, "  depends='glibc'\n  url=('x')\n  depends_x86_64=x"), [
    "depends should be an array",
    "depends_x86_64 should be an array",
    "url should not be an array",
  ]);
});
