import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintBackup } from "../../../src/pkgbuild/lint/backup.ts";
Deno.test("lintBackup() rejects absolute paths at top level and in package overrides", () => {
  const p = makePkgbuild({ ...base, backup: ["etc/ok", "/etc/bad"] }, {
    foo: { backup: ["/etc/also-bad"] },
  });
  assertEquals(messages(lintBackup(p, lintContext(p))), [
    "backup entry should not contain leading slash: /etc/bad",
    "backup entry should not contain leading slash: /etc/also-bad",
  ]);
});
Deno.test("lintBackup() accepts relative paths", () => {
  const p = makePkgbuild({ ...base, backup: ["etc/foo.conf"] });
  assertEquals(lintBackup(p, lintContext(p)), []);
});
