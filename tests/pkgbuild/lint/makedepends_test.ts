import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintMakedepends } from "../../../src/pkgbuild/lint/makedepends.ts";
const run = (values: string[]) => {
  const p = makePkgbuild({ ...base, makedepends: values });
  return messages(lintMakedepends(p, lintContext(p)));
};

Deno.test("lintMakedepends() accepts valid entries", () => {
  assertEquals(run(["a", "b>=1.0", "c=2:3-1"]), []);
});
Deno.test("lintMakedepends() rejects an empty version, unlike depends", () => {
  assertEquals(run(["x>="]), ["pkgver in makedepends is not allowed to be empty"]);
});
Deno.test("lintMakedepends() rejects invalid names", () => {
  assertEquals(run(["-x"]), ["makedepends is not allowed to start with a hyphen"]);
});
