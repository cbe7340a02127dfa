import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintPkgbase } from "../../../src/pkgbuild/lint/pkgbase.ts";
const run = (vars: Record<string, string | string[]>) => {
  const p = makePkgbuild({ ...base, ...vars });
  return messages(lintPkgbase(p, lintContext(p)));
};

Deno.test("lintPkgbase() checks pkgbase like a package name", () => {
  assertEquals(run({ pkgbase: "a:b" }), ["pkgbase contains invalid characters: ':'"]);
  assertEquals(run({ pkgbase: "good-base" }), []);
});
Deno.test("lintPkgbase() falls back to the first pkgname like makepkg", () => {
  assertEquals(run({ pkgbase: "", pkgname: [".hidden", "ok"] }), [
    "pkgbase is not allowed to start with a dot",
  ]);
});
