import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintArchSpecific } from "../../../src/pkgbuild/lint/arch_specific.ts";
const run = (vars: Record<string, string | string[]>, fns: Record<string, string> = {}) => {
  const p = makePkgbuild({ ...base, ...vars }, {}, fns);
  return messages(lintArchSpecific(p, lintContext(p)));
};

Deno.test("lintArchSpecific() accepts the arrays that have _arch forms", () => {
  assertEquals(
    run({ depends_x86_64: ["a"], sha256sums_x86_64: ["SKIP"], makedepends_x86_64: [] }),
    [],
  );
});
Deno.test("lintArchSpecific() rejects _any variables", () => {
  assertEquals(run({ arch: ["any"], depends_any: ["a"] }), [
    "Can not provide architecture specific variables for the 'any' architecture: depends_any",
  ]);
});
Deno.test("lintArchSpecific() rejects _arch forms of other variables", () => {
  assertEquals(run({ license_x86_64: ["MIT"], pkgdesc_x86_64: "d" }), [
    "license can not be architecture specific: license_x86_64",
    "pkgdesc can not be architecture specific: pkgdesc_x86_64",
  ]);
});
Deno.test("lintArchSpecific() looks into package functions too", () => {
  assertEquals(run({}, { package: "  backup_x86_64=('etc/x')" }), [
    "backup can not be architecture specific: backup_x86_64",
  ]);
});
Deno.test("lintArchSpecific() warns about arch-specific arrays for an arch missing from arch", () => {
  const p = makePkgbuild({ ...base, source_aarch64: ["x"], depends_x86_64: ["ok"] });
  assertEquals(lintArchSpecific(p, lintContext(p)).map((f) => [f.severity, f.message]), [
    ["warning", "source_aarch64 is ignored: aarch64 is not in arch"],
  ]);
});
