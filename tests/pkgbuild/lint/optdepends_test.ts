import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintOptdepends } from "../../../src/pkgbuild/lint/optdepends.ts";
const run = (optdepends: string[]) => {
  const p = makePkgbuild({ ...base, optdepends });
  return messages(lintOptdepends(p, lintContext(p)));
};

Deno.test("lintOptdepends() ignores the description after ': '", () => {
  assertEquals(run(["python: for scripts: and more", "perl>=5:\tperl things", "bare"]), []);
});
Deno.test("lintOptdepends() rejects a colon not followed by whitespace", () => {
  assertEquals(run(["foo:description"]), ["optdepends contains invalid characters: ':'"]);
});
