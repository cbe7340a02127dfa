import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintEpoch } from "../../../src/pkgbuild/lint/epoch.ts";
const run = (epoch: string) => {
  const p = makePkgbuild({ ...base, epoch });
  return messages(lintEpoch(p, lintContext(p)));
};

Deno.test("lintEpoch() accepts an empty or integer epoch", () => {
  assertEquals([...run(""), ...run("0"), ...run("42")], []);
});
Deno.test("lintEpoch() rejects anything but digits", () => {
  assertEquals(run("one"), ["epoch must be an integer, not one"]);
  assertEquals(run("-1"), ["epoch must be an integer, not -1"]);
});
