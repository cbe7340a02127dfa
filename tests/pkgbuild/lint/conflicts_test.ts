import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintConflicts } from "../../../src/pkgbuild/lint/conflicts.ts";
const run = (values: string[]) => {
  const p = makePkgbuild({ ...base, conflicts: values });
  return messages(lintConflicts(p, lintContext(p)));
};

Deno.test("lintConflicts() accepts valid entries", () => {
  assertEquals(run(["a", "b>=1.0", "c=2:3-1"]), []);
});
Deno.test("lintConflicts() rejects an empty version, unlike depends", () => {
  assertEquals(run(["x>="]), ["pkgver in conflicts is not allowed to be empty"]);
});
Deno.test("lintConflicts() rejects invalid names", () => {
  assertEquals(run(["-x"]), ["conflicts is not allowed to start with a hyphen"]);
});
