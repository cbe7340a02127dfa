import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPackageFunctionVariable } from "../../../src/pkgbuild/lint/package_function_variable.ts";
const run = (body: string, vars: Record<string, string | string[]> = {}) => {
  const p = makePkgbuild({ ...base, ...vars }, {}, { package: body });
  return messages(lintPackageFunctionVariable(p, lintContext(p)));
};

Deno.test("lintPackageFunctionVariable() accepts the overridable variables", () => {
  assertEquals(run("  pkgdesc=x\n  depends=(a)\n  backup+=(b)\n  install=x.install"), []);
});
Deno.test("lintPackageFunctionVariable() rejects source, pkgver, makedepends and sums", () => {
  assertEquals(
    run("  source=(a)\n  pkgver=2\n  makedepends+=(x)\n  if true; then sha256sums=(SKIP); fi"),
    [
      "makedepends can not be set inside a package function",
      "source can not be set inside a package function",
      "sha256sums can not be set inside a package function",
      "pkgver can not be set inside a package function",
    ],
  );
});
Deno.test("lintPackageFunctionVariable() rejects their arch-specific forms", () => {
  assertEquals(run("  sha256sums_aarch64=(SKIP)", { arch: ["x86_64", "aarch64"] }), [
    "sha256sums_aarch64 can not be set inside a package function",
  ]);
});
Deno.test("lintPackageFunctionVariable() ignores local, quoted and a last empty assignment like makepkg", () => {
  assertEquals(run("  local source=(a)\n  echo 'pkgver=1'\n  pkgver="), []);
});
Deno.test("lintPackageFunctionVariable() sees an empty assignment bash prints with a ';' (makepkg exits 12)", () => {
  // declare -f prints `pkgver=;`, which makepkg's grep `pkgver=[^(]` matches
  assertEquals(run("  pkgver=\n  echo 'pkgver=1'"), [
    "pkgver can not be set inside a package function",
  ]);
});
Deno.test("lintPackageFunctionVariable() ignores an assignment after && (makepkg's grep does not see it)", () => {
  assertEquals(run("  true && source=(a)"), []);
});
