import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintInstall } from "../../../src/pkgbuild/lint/install.ts";
import { lintChangelog } from "../../../src/pkgbuild/lint/changelog.ts";
import { checkFilesExist } from "../../../src/pkgbuild/lint/util.ts";

Deno.test("lintInstall() reports install files missing from the given files", () => {
  const p = makePkgbuild({ ...base, install: "foo.install" }, { foo: { install: "sub.install" } });
  assertEquals(messages(lintInstall(p, lintContext(p, { files: new Set(["foo.install"]) }))), [
    "install file (sub.install) does not exist or is not a regular file",
  ]);
});
Deno.test("lintInstall() skips the check when no file list is given", () => {
  const p = makePkgbuild({ ...base, install: "missing.install" });
  assertEquals(lintInstall(p, lintContext(p)), []);
});
Deno.test("lintChangelog() reports a missing changelog and accepts ./ paths", () => {
  const p = makePkgbuild({ ...base, changelog: "ChangeLog" });
  assertEquals(messages(lintChangelog(p, lintContext(p, { files: new Set() }))), [
    "changelog file (ChangeLog) does not exist or is not a regular file",
  ]);
  const q = makePkgbuild({ ...base, changelog: "./docs/ChangeLog" });
  assertEquals(lintChangelog(q, lintContext(q, { files: new Set(["docs/ChangeLog"]) })), []);
});
Deno.test("checkFilesExist() ignores empty names", () => {
  const p = makePkgbuild(base);
  assertEquals(
    checkFilesExist("install", "install", [""], lintContext(p, { files: new Set() })),
    [],
  );
});
