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
Deno.test("lintArch() reports a missing CARCH once, as an error, as makepkg's build lint does", () => {
  const findings = run({ arch: ["aarch64"], pkgname: ["a", "b"] }, { b: { arch: ["any"] } });
  assertEquals(findings.map((f) => [f.severity, f.message]), [
    ["error", "a is not available for the 'x86_64' architecture"],
  ]);
});
Deno.test("lintArch() names each package whose arch override lacks CARCH", () => {
  const findings = run({ arch: ["x86_64"], pkgname: ["a", "b"] }, { b: { arch: ["aarch64"] } });
  assertEquals(messages(findings), ["b is not available for the 'x86_64' architecture"]);
});
Deno.test("lintArch() with ignoreArch (makepkg -A, --printsrcinfo) does not check CARCH", () => {
  const p = makePkgbuild({ ...base, arch: ["aarch64"] }, {});
  assertEquals(lintArch(p, lintContext(p, { ignoreArch: true })), []);
});
