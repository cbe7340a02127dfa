import { assertEquals } from "../../_assert.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);

import { LINT_RULES, lintPkgbuild } from "../../../src/pkgbuild/lint/mod.ts";
Deno.test("lintPkgbuild() runs every rule and returns nothing for a clean PKGBUILD", () => {
  assertEquals(LINT_RULES.length, 22);
  assertEquals(
    lintPkgbuild(makePkgbuild({ ...base, license: ["MIT"] }, {}, { package: "  :" })),
    [],
  );
});
Deno.test("lintPkgbuild() reports findings with rule, severity and variable", () => {
  const findings = lintPkgbuild(makePkgbuild({ ...base, pkgver: "1-2" }, {}, { package: ":" }));
  assertEquals(findings, [{
    rule: "pkgver",
    severity: "error",
    message: "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace",
    variable: "pkgver",
  }]);
  void messages;
});
