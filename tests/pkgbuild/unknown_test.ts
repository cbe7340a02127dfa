/**
 * Unknown values in PKGBUILDs against makepkg: the `unknown-*` fixtures
 * (machine values that never reach the metadata) give makepkg's `.SRCINFO`
 * byte for byte (checked with every fixture by `makepkg_diff_test.ts`);
 * each `refuse-unknown-*` fixture, which makepkg accepts, is refused with
 * the construct its `expected.refused` names: the first cause of the
 * unknown value, not the place it reached.
 */

import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { loadFixtures } from "./_fixtures.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { toSrcinfo } from "../../src/pkgbuild/srcinfo_write.ts";
import { PkgbuildRefusedError, PkgbuildSourceError } from "../../src/pkgbuild/errors.ts";

const fixtures = loadFixtures();
const HEAD = "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n";

Deno.test("the unknown-* fixtures give makepkg's .SRCINFO", () => {
  const flows = fixtures.filter((f) => f.name.startsWith("unknown-"));
  assert(flows.length >= 5, `only ${flows.length} unknown-* fixtures`);
  for (const f of flows) {
    assert(f.srcinfo !== undefined, `${f.name}: makepkg rejected it`);
    assertEquals(toSrcinfo(parsePkgbuild(f.pkgbuild, { carch: "x86_64" })), f.srcinfo, f.name);
  }
});

Deno.test("each refuse-unknown-* fixture is refused with the unknown's first cause", () => {
  const refused = fixtures.filter((f) => f.name.startsWith("refuse-unknown-"));
  assert(refused.length >= 8, `only ${refused.length} refuse-unknown-* fixtures`);
  for (const f of refused) {
    assert(f.srcinfo !== undefined, `${f.name}: makepkg rejected it`);
    const expected = Deno.readTextFileSync(`${f.dir}/expected.refused`).trim();
    const e = assertThrows(
      () => parsePkgbuild(f.pkgbuild, { carch: "x86_64" }),
      PkgbuildRefusedError,
    );
    assertEquals(e.construct, expected, `${f.name}: ${e.message}`);
  }
});

Deno.test("an unknown value is refused at the line where it was born", () => {
  const e = assertThrows(
    () => parsePkgbuild(`${HEAD}_a="$HOME"\n_b=("$_a")\n\nurl="${"${_b[0]}"}"\n`),
    PkgbuildRefusedError,
  );
  assertEquals([e.construct, e.line], ["variable 'HOME'", 5]);
  assertEquals(
    e.message,
    "refused at line 5: 'HOME' is not set by the script; its value comes from makepkg or the environment",
  );
});

Deno.test("the model leaves out variables whose value is unknown and lists the environment read", () => {
  const p = parsePkgbuild(`${HEAD}_flags="--jobs $(nproc)"\n_home=$HOME\n_n=2\n`);
  assertEquals(Object.hasOwn(p.variables, "_flags"), false);
  assertEquals(Object.hasOwn(p.variables, "_home"), false);
  assertEquals(p.variables._n, "2");
  assertEquals(p.environmentReads, ["HOME"]);
  // a read inside a command substitution that became unknown is listed too
  const q = parsePkgbuild(
    `${HEAD}_t="$(date -Ru\${SOURCE_DATE_EPOCH:+d @$SOURCE_DATE_EPOCH})"\ntrue\n`,
  );
  assertEquals(q.environmentReads, ["SOURCE_DATE_EPOCH"]);
});

Deno.test("a host variable the script extends keeps the host's unknown value", () => {
  for (
    const code of ['CFLAGS+=" -O2"\nurl=$CFLAGS', "export HOME\nurl=$HOME", "HOME[1]=x\nurl=$HOME"]
  ) {
    const e = assertThrows(() => parsePkgbuild(`${HEAD}${code}\n`), PkgbuildRefusedError);
    assert(e.construct.startsWith("variable '"), `${code}: ${e.construct}`);
  }
  // a local of makepkg's source_safe and a whole assignment hide the host's value
  const p = parsePkgbuild(`${HEAD}declare HOME\npkgdesc="[$HOME]"\nPATH=/x\nurl=$PATH\n`);
  assertEquals([p.variables.pkgdesc, p.variables.url], ["[]", "/x"]);
});

Deno.test("an unknown exit status decides nothing but the end of sourcing", () => {
  const ok = parsePkgbuild(`${HEAD}_j=$(nproc)\ntrue\n`);
  assertEquals(ok.variables.pkgname, "x");
  for (const code of ["_j=$(nproc) && url=y", "if _j=$(nproc); then url=y; fi", "_j=$(nproc)"]) {
    const e = assertThrows(() => parsePkgbuild(`${HEAD}${code}\n`), PkgbuildRefusedError);
    assertEquals(e.construct, "external command 'nproc'", code);
  }
  assertThrows(() => parsePkgbuild(`${HEAD}_j=$(false)\n`), PkgbuildSourceError);
});

Deno.test("a PKGBUILD holding the evaluator's marker characters is refused", () => {
  const e = assertThrows(
    () => parsePkgbuild(`${HEAD}pkgdesc="\uFDD00\uFDD1"\n`),
    PkgbuildRefusedError,
  );
  assertEquals([e.construct, e.line], ["noncharacter", 5]);
});
