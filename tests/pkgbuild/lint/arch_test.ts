import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintArch } from "../../../src/pkgbuild/lint/arch.ts";
const run = (vars: Record<string, string | string[]>, overrides = {}) => {
  const p = makePkgbuild({ ...base, ...vars }, overrides);
  return lintArch(p, lintContext(p));
};

Deno.test("lintArch() accepts any alone", () => {
  assertEquals(run({ arch: ["any"] }), []);
});
Deno.test("lintArch() rejects any with other architectures", () => {
  assertEquals(messages(run({ arch: ["any", "x86_64"] })), [
    "Can not use 'any' architecture with other architectures",
  ]);
});
Deno.test("lintArch() names invalid characters in an architecture", () => {
  assertEquals(messages(run({ arch: ["x86-64", "x86_64"] })), [
    "arch contains invalid characters: '-'",
  ]);
});
Deno.test("lintArch() only warns when CARCH is missing, as --printsrcinfo ignores it", () => {
  const findings = run({ arch: ["aarch64"], pkgname: ["a", "b"] }, { b: { arch: ["any"] } });
  assertEquals(findings.map((f) => [f.severity, f.message]), [
    ["warning", "a is not available for the 'x86_64' architecture"],
    ["warning", "a is not available for the 'x86_64' architecture"],
  ]);
});
