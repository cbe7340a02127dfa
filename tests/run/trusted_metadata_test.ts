/**
 * The trusted fallback: PKGBUILDs with command substitution of external
 * programs at the top level read back as makepkg reads them.
 */

import { assert, assertEquals, assertInstanceOf, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { TrustedMetadataError } from "../../src/run/errors.ts";
import { parseRecords, readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";
import { probeSandbox } from "../../src/run/sandbox.ts";
import { FIXTURES, haveMakepkg, oracleSrcinfo } from "./_helpers.ts";

const METADATA = join(FIXTURES, "metadata");
const fixtures = [...Deno.readDirSync(METADATA)].filter((e) => e.isDirectory).map((e) => e.name)
  .sort();
const bwrap = await probeSandbox();

/** toSrcinfo is written by the PKGBUILD engine; imported when it exists. */
async function loadToSrcinfo() {
  const mod = await import("../../src/pkgbuild/srcinfo_write.ts");
  return mod.toSrcinfo as (p: Awaited<ReturnType<typeof readPkgbuildTrusted>>) => string;
}

for (const name of fixtures) {
  Deno.test({
    name: `readPkgbuildTrusted() gives makepkg's .SRCINFO for fixtures/run/metadata/${name}`,
    ignore: !haveMakepkg() || !bwrap.available,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const dir = join(METADATA, name);
      const expected = oracleSrcinfo(dir);
      const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64" });
      const toSrcinfo = await loadToSrcinfo();
      assertEquals(toSrcinfo(pkgbuild), await expected);
    },
  });
}

Deno.test({
  name:
    "readPkgbuildTrusted() sources with no network, no caller environment and the system read-only",
  ignore: !bwrap.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "wp-trusted-" });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("hi"),
    );
    try {
      await Deno.writeTextFile(
        join(dir, "PKGBUILD"),
        `pkgname=probe
pkgver=1
pkgrel=1
arch=(any)
_net=$( (exec 3<>/dev/tcp/127.0.0.1/${server.addr.port}) 2>/dev/null && echo reachable || echo blocked)
_env=$(env | cut -d= -f1 | sort | tr '\\n' ' ')
_write=$( { touch /usr/wp-probe; } 2>/dev/null && echo wrote || echo read-only)
_home=$HOME
echo "top-level output goes to stderr"
`,
      );
      const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "aarch64" });
      assertEquals(pkgbuild.variables._net, "blocked");
      assertEquals(pkgbuild.variables._write, "read-only");
      assertEquals(pkgbuild.variables._env, "HOME PATH PWD SHLVL SOURCE_DATE_EPOCH _ ");
      assertEquals(pkgbuild.variables._home, "/tmp");
      assertEquals(pkgbuild.carch, "aarch64");
      assertEquals(pkgbuild.pkgbase, "probe");
      assertEquals(Object.keys(pkgbuild.variables).sort(), [
        "_env",
        "_home",
        "_net",
        "_write",
        "arch",
        "pkgname",
        "pkgrel",
        "pkgver",
      ]);
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("readPkgbuildTrusted() reads types, functions in definition order and CARCH-dependent values", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-trusted-" });
  try {
    await Deno.writeTextFile(
      join(dir, "PKGBUILD"),
      `pkgname=(b a)
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
_arch_dep=dep-$CARCH
empty=()
multi=("one two" $'line\\nbreak')
zhelper() { :; }
package_b() { depends=(x); }
package_a() { :; }
`,
    );
    const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), {
      carch: "aarch64",
      sandbox: "auto",
    });
    assertEquals(pkgbuild.variables._arch_dep, "dep-aarch64");
    assertEquals(pkgbuild.variables.empty, []);
    assertEquals(pkgbuild.variables.multi, ["one two", "line\nbreak"]);
    assertEquals(Object.keys(pkgbuild.functions), ["zhelper", "package_b", "package_a"]);
    assertEquals(pkgbuild.functions.package_b.line, 9);
    assert(pkgbuild.functions.package_b.source.includes("depends=(x)"));
    assertEquals(pkgbuild.packages, [
      { name: "b", overrides: { depends: ["x"] } },
      { name: "a", overrides: {} },
    ]);
    assertEquals(pkgbuild.pkgbase, "b");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readPkgbuildTrusted() fails like makepkg when sourcing fails", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-trusted-" });
  try {
    await Deno.writeTextFile(join(dir, "PKGBUILD"), "pkgname=x\npkgver=1\nfalse\n");
    const error = await assertRejects(
      () => readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64", sandbox: "auto" }),
      TrustedMetadataError,
    );
    assert(error.message.includes("Failed to source"), error.message);
    await Deno.writeTextFile(join(dir, "PKGBUILD"), "pkgver=1\n");
    await assertRejects(
      () => readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64", sandbox: "auto" }),
      TrustedMetadataError,
      "pkgname is not set",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseRecords() refuses a dump that was cut short", () => {
  const bytes = new TextEncoder().encode("V\0pkgname\0s\0" + "1\0x\0");
  const error = (() => {
    try {
      parseRecords(bytes, "x86_64", "/r/PKGBUILD");
    } catch (e) {
      return e;
    }
  })();
  assertInstanceOf(error, TrustedMetadataError);
});
