import { assertEquals } from "../../_assert.ts";
import { lintContext } from "../../../src/pkgbuild/lint/mod.ts";
import { makePkgbuild } from "../_make_pkgbuild.ts";
const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };
const messages = (findings: { message: string }[]): string[] => findings.map((f) => f.message);
import { lintOptions } from "../../../src/pkgbuild/lint/options.ts";
const run = (options: string[], overrides = {}) => {
  const p = makePkgbuild({ ...base, options }, overrides);
  return messages(lintOptions(p, lintContext(p)));
};

Deno.test("lintOptions() accepts every makepkg 6.0.2 option and its negation", () => {
  assertEquals(
    run([
      "strip",
      "!debug",
      "zipman",
      "!staticlibs",
      "libtool",
      "docs",
      "purge",
      "emptydirs",
      "!lto",
      "makeflags",
      "buildflags",
      "ccache",
      "!distcc",
    ]),
    [],
  );
});
Deno.test("lintOptions() rejects unknown options, also in package overrides", () => {
  assertEquals(run(["fakeopt", "!!strip"], { foo: { options: ["!nope"] } }), [
    "options array contains unknown option 'fakeopt'",
    "options array contains unknown option '!!strip'",
    "options array contains unknown option '!nope'",
  ]);
});
