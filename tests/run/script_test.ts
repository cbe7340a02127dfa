import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { driverScript, shellQuote } from "../../src/run/script.ts";

const base = {
  pkgbuildPath: "/r/PKGBUILD",
  startdir: "/r",
  srcdir: "/b/src",
  pkgdir: "/b/pkg/x",
  carch: "x86_64",
  chost: "x86_64-pc-linux-gnu",
} as const;

Deno.test("shellQuote() makes one bash word of anything", async () => {
  const values = ["plain", "it's", "$(rm -rf /)", "a\nb", "' ; echo '", ""];
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join("\n");
  const out = await new Deno.Command("bash", { args: ["-c", script] }).output();
  assertEquals(new TextDecoder().decode(out.stdout).split("\0").slice(0, -1), values);
});

Deno.test("driverScript() sets makepkg's shell state and calls the one function under errexit and an ERR trap", () => {
  const s = driverScript({ ...base, phase: "build", functionName: "build" });
  assertStringIncludes(s, "umask 0022");
  assertStringIncludes(s, "set -o errexit -o errtrace");
  assertStringIncludes(s, "' ERR");
  assertStringIncludes(s, "export CPPFLAGS CFLAGS CXXFLAGS LDFLAGS RUSTFLAGS MAKEFLAGS CHOST");
  assertEquals(s.trimEnd().split("\n").at(-1), "build");
  const prepare = driverScript({ ...base, phase: "prepare", functionName: "prepare" });
  assertEquals(prepare.includes("export CPPFLAGS"), false);
  const pkg = driverScript({ ...base, phase: "package", functionName: "package_x", pkgname: "x" });
  assertStringIncludes(pkg, "pkgname='x'");
});

Deno.test("driverScript() applies makepkg's pkgver/pkgrel substitution in memory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/PKGBUILD`,
      'pkgname=x\npkgver=1.0 # old\npkgrel=5\n_d=x-$pkgver\nshow() { echo "$pkgver $pkgrel $_d"; }\n',
    );
    const s = driverScript({
      ...base,
      pkgbuildPath: `${dir}/PKGBUILD`,
      startdir: dir,
      srcdir: dir,
      phase: "package",
      functionName: "show",
      newPkgver: "2.0",
    });
    const out = await new Deno.Command("bash", { args: ["--noprofile", "--norc", "-c", s] })
      .output();
    assertEquals(new TextDecoder().decode(out.stdout), "2.0 1 x-2.0\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
