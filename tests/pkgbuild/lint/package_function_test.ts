import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPackageFunction } from "../../../src/pkgbuild/lint/package_function.ts";
const run = (vars: Record<string, string | string[]>, fns: Record<string, string>) => {
  const p = makePkgbuild({ ...base, ...vars }, {}, fns);
  return messages(lintPackageFunction(p, lintContext(p)));
};

Deno.test("lintPackageFunction() accepts package() or package_<name>() for one package", () => {
  assertEquals(
    [...run({}, { package: ":" }), ...run({}, { package_foo: ":" }), ...run({}, {})],
    [],
  );
});
Deno.test("lintPackageFunction() rejects build() without a package function", () => {
  assertEquals(run({}, { build: ":" }), ["Missing package() function in PKGBUILD"]);
});
Deno.test("lintPackageFunction() rejects both package() and package_<name>()", () => {
  assertEquals(run({}, { package: ":", package_foo: ":" }), [
    "Conflicting package() and package_foo() functions in PKGBUILD",
  ]);
});
Deno.test("lintPackageFunction() wants one package_<name>() per split package and no package()", () => {
  assertEquals(run({ pkgbase: "b", pkgname: ["x", "y"] }, { package: ":", package_x: ":" }), [
    "Extra package() function for split package 'b'",
    "Missing package_y() function for split package 'y'",
  ]);
});
