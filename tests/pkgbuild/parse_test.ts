import { assertEquals, assertThrows } from "../_assert.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import {
  PkgbuildLimitError,
  PkgbuildRefusedError,
  PkgbuildSourceError,
} from "../../src/pkgbuild/errors.ts";
import { BashLimitError, BashSyntaxError } from "../../src/pkgbuild/mod.ts";

const BASIC = `# Maintainer: someone
_name=worker
pkgname=\${_name}-bin
pkgver=1.2.3
pkgrel=1
pkgdesc="An inference worker"
arch=('x86_64' 'aarch64')
url="https://example.com/\${_name}"
license=('GPL-3.0-or-later')
depends=('glibc' "libfoo>=\${pkgver%.*}")
source_x86_64=("https://example.com/\${_name}-\${pkgver}-x86_64.tar.gz")
source_aarch64=("https://example.com/\${_name}-\${pkgver}-aarch64.tar.gz")
sha256sums_x86_64=('SKIP')
sha256sums_aarch64=('SKIP')
noextract=("\${_name}.tar.gz")

package() {
  install -Dm755 "llm-worker" "$pkgdir/usr/local/bin/$pkgname"
}
`;

Deno.test("parsePkgbuild() expands ${pkgver} inside source entries and keeps the bash types", () => {
  const p = parsePkgbuild(BASIC, { carch: "x86_64" });
  assertEquals(p.carch, "x86_64");
  assertEquals(p.pkgbase, "worker-bin");
  assertEquals(p.variables.source_x86_64, ["https://example.com/worker-1.2.3-x86_64.tar.gz"]);
  assertEquals(p.variables.depends, ["glibc", "libfoo>=1.2"]);
  assertEquals(p.variables.pkgdesc, "An inference worker");
  assertEquals(p.variables._name, "worker");
  assertEquals(p.packages, [{ name: "worker-bin", overrides: {} }]);
  assertEquals(Object.keys(p.functions), ["package"]);
  assertEquals(p.functions.package.line, 17);
  assertEquals(
    p.functions.package.source,
    `package() {\n  install -Dm755 "llm-worker" "$pkgdir/usr/local/bin/$pkgname"\n}`,
  );
});

Deno.test("parsePkgbuild() uses CARCH for arch-dependent top-level code", () => {
  const text = `pkgname=x\npkgver=1\npkgrel=1\narch=(x86_64 aarch64)\n` +
    `case $CARCH in x86_64) _a=amd64;; aarch64) _a=arm64;; esac\nsource=("x-$_a.tgz")\n`;
  assertEquals(parsePkgbuild(text, { carch: "x86_64" }).variables.source, ["x-amd64.tgz"]);
  assertEquals(parsePkgbuild(text, { carch: "aarch64" }).variables.source, ["x-arm64.tgz"]);
});

Deno.test("parsePkgbuild() drops top-level declare and local variables, as makepkg's source_safe does", () => {
  const p = parsePkgbuild(
    `pkgname=x\npkgver=1\npkgrel=1\narch=(any)\ndeclare -a depends=(a)\nlocal _l=1\n` +
      `declare -g makedepends=(b)\ntypeset conflicts=(c)\nexport _e=1\nreadonly _r=2\n`,
  );
  assertEquals(p.variables.depends, undefined);
  assertEquals(p.variables._l, undefined);
  assertEquals(p.variables.conflicts, undefined);
  assertEquals(p.variables.makedepends, ["b"]);
  assertEquals(p.variables._e, "1");
  assertEquals(p.variables._r, "2");
});

const SPLIT = `pkgbase=multi
pkgname=(multi-a multi-b multi-c)
pkgver=2
pkgrel=1
pkgdesc="base desc"
arch=(x86_64 aarch64)
depends=(common)
license=(MIT)

package_multi-a() {
  pkgdesc="A of $pkgname"
  depends+=(extra-a)
  depends_x86_64=(only64)
}

package_multi-b() {
  arch=(any)
  depends=()
  provides=("\${pkgname%-b}")
  depends_x86_64=(never)
}

package_multi-c() {
  :
}
`;

Deno.test("parsePkgbuild() evaluates split-package overrides like get_pkgbuild_attribute", () => {
  const p = parsePkgbuild(SPLIT, { carch: "x86_64" });
  assertEquals(p.pkgbase, "multi");
  assertEquals(p.packages.map((x) => x.name), ["multi-a", "multi-b", "multi-c"]);
  assertEquals(p.packages[0].overrides, {
    pkgdesc: "A of multi-a",
    depends: ["common", "extra-a"],
    depends_x86_64: ["only64"],
  });
  // arch=(any) in the package: no arch-specific keys are read for it
  assertEquals(p.packages[1].overrides, { arch: ["any"], depends: [], provides: ["multi"] });
  assertEquals(p.packages[2].overrides, {});
});

Deno.test("parsePkgbuild() falls back to package() for the overrides of every package", () => {
  const p = parsePkgbuild(
    `pkgname=(one two)\npkgver=1\npkgrel=1\narch=(any)\ndepends=(a)\n` +
      `package() {\n  depends+=(b)\n}\npackage_two() {\n  true\n}\n`,
  );
  assertEquals(p.packages[0].overrides, { depends: ["a", "b"] });
  assertEquals(p.packages[1].overrides, {});
});

Deno.test("parsePkgbuild() takes pkgbase from the first pkgname when unset", () => {
  const p = parsePkgbuild(`pkgname=(first second)\npkgver=1\npkgrel=1\narch=(any)\n`);
  assertEquals(p.pkgbase, "first");
  assertEquals(p.variables.pkgbase, undefined);
});

Deno.test("parsePkgbuild() runs pure helper functions and command substitutions", () => {
  const p = parsePkgbuild(
    `_ver() { printf '%s.%s' "$1" "$2"; }\npkgname=x\npkgver=$(_ver 1 2)\npkgrel=1\narch=(any)\n` +
      `IFS=. read -ra _parts <<< "$pkgver"\n_major=\${_parts[0]}\n` +
      `source=($(for i in a b; do echo "$i-$pkgver"; done))\n`,
  );
  assertEquals(p.variables.pkgver, "1.2");
  assertEquals(p.variables._major, "1");
  assertEquals(p.variables.source, ["a-1.2", "b-1.2"]);
});

function refusal(text: string): PkgbuildRefusedError {
  return assertThrows(() => parsePkgbuild(text, { carch: "x86_64" }), PkgbuildRefusedError);
}

Deno.test("parsePkgbuild() refuses external commands naming the command and line", () => {
  const e = refusal(`pkgname=x\npkgver=1\n_v=$(git describe)\n`);
  assertEquals(e.line, 3);
  assertEquals(e.construct, "external command 'git'");
  assertEquals(e.code, "PKGBUILD_REFUSED");
});

Deno.test("parsePkgbuild() runs eval and names the eval's line for what its string refuses", () => {
  const e = refusal(`pkgname=x\npkgver=1\n\neval '_a=1\n_v=$(uname -r)'\n`);
  assertEquals(e.line, 4);
  assertEquals(e.construct, "external command 'uname'");
  const later = refusal(
    `pkgname=x\neval "_get() {\n  :\n  _v=\\$(git describe)\n}"\n\n_get\n`,
  );
  assertEquals(later.line, 2);
  assertEquals(later.construct, "external command 'git'");
});

Deno.test("parsePkgbuild() reads the overrides of package functions that eval defines", () => {
  const p = parsePkgbuild(
    `pkgbase=b\npkgname=(b-one b-two)\npkgver=1\npkgrel=1\narch=(any)\n` +
      `for _p in one two; do\n  eval "package_b-$_p() {\n    pkgdesc='the $_p'\n    depends=(lib$_p)\n  }"\ndone\n`,
    { carch: "x86_64" },
  );
  assertEquals(p.packages.map((k) => k.overrides), [
    { pkgdesc: "the one", depends: ["libone"] },
    { pkgdesc: "the two", depends: ["libtwo"] },
  ]);
  assertEquals(p.functions["package_b-two"].line, 7);
  assertEquals(p.functions["package_b-two"].source.startsWith("package_b-two() {"), true);
});

Deno.test("parsePkgbuild() refuses values that makepkg or the environment decide when they reach the metadata", () => {
  assertEquals(refusal(`pkgname=x\n_d="$HOME/x"\nurl=$_d\n`).construct, "variable 'HOME'");
  assertEquals(refusal(`pkgname=x\n_d=$startdir\n\nurl=$_d\n`).line, 2);
  refusal(`pkgname=x\n_f=$1\n`);
  refusal(`pkgname=x\n_r=$RANDOM\npkgdesc="$_r"\n`);
  refusal(`pkgname=x\n_t=~/x\nurl=$_t\n`);
});

Deno.test("parsePkgbuild() keeps top-level output for .SRCINFO, and refuses it when it holds a machine value", () => {
  const pkgbuild = parsePkgbuild(`pkgname=x\necho hello\npkgver=1\nprintf %s end\n`);
  assertEquals(pkgbuild.printed, "hello\nend");
  assertEquals(parsePkgbuild(`pkgname=x\n`).printed, undefined);
  assertEquals(refusal(`pkgname=x\necho "$HOME"\n`).construct, "variable 'HOME'");
});

Deno.test("parsePkgbuild() refuses unquoted globs in lists and impure builtins", () => {
  assertEquals(refusal(`pkgname=x\nsource=(*.patch)\n`).construct, "pathname expansion");
  refusal(`pkgname=x\nsource ./other.sh\n`);
  refusal(`pkgname=x\ntrap 'x' EXIT\n`);
  refusal(`pkgname=x\nexit 0\n`);
  refusal(`pkgname=x\n_x=$(cat file)\n`);
  refusal(`pkgname=x\n_y=$(< file)\n`);
  refusal(`pkgname=x\nsleep 1 &\n`);
});

Deno.test("parsePkgbuild() accepts output that goes to /dev/null or stderr", () => {
  const p = parsePkgbuild(
    `pkgname=x\npkgver=1\npkgrel=1\narch=(any)\necho hi >/dev/null\necho warn >&2\n`,
  );
  assertEquals(p.variables.pkgname, "x");
});

Deno.test("parsePkgbuild() reports makepkg's failure when the top level ends with a failing command", () => {
  assertThrows(
    () => parsePkgbuild(`pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n[[ $CARCH == arm ]] && _x=1\n`),
    PkgbuildSourceError,
  );
});

Deno.test("parsePkgbuild() bounds the work of hostile input", () => {
  assertThrows(() => parsePkgbuild(`while true; do :; done\n`), PkgbuildLimitError);
  assertThrows(() => parsePkgbuild(`f() { f; }\nf\n`), PkgbuildLimitError);
  assertThrows(() => parsePkgbuild(`a=x\nfor i in {1..30}; do a=$a$a; done\n`), PkgbuildLimitError);
  assertThrows(() => parsePkgbuild(`a=({1..100}{1..100}{1..100})\n`), PkgbuildLimitError);
});

Deno.test("parsePkgbuild() passes the parser's syntax errors through", () => {
  assertThrows(() => parsePkgbuild(`pkgname=(x\n`), BashSyntaxError);
});

Deno.test("parsePkgbuild() supports a top-level return that ends the sourcing", () => {
  const p = parsePkgbuild(`pkgname=x\npkgver=1\npkgrel=1\narch=(any)\nreturn 0\npkgver=2\n`);
  assertEquals(p.variables.pkgver, "1");
});

Deno.test("parsePkgbuild() evaluates overrides with extglob on and pkgname bound to the package", () => {
  const p = parsePkgbuild(
    `pkgbase=ext\npkgname=(ext123 ext-b)\npkgver=1\npkgrel=1\narch=(x86_64)\n_deps=(a b)\n` +
      `package_ext123() {\n  depends=("\${pkgname%%+([0-9])}" "\${_deps[@]/#/lib}")\n}\n` +
      `package_ext-b() {\n  pkgdesc="B: \${pkgname^^}"\n}\n`,
  );
  assertEquals(p.packages[0].overrides, { depends: ["ext", "liba", "libb"] });
  assertEquals(p.packages[1].overrides, { pkgdesc: "B: EXT-B" });
});

Deno.test("parsePkgbuild() keeps unquoted URLs with ? as they are (no directory ends in ':')", () => {
  const p = parsePkgbuild(
    `pkgname=u\npkgver=1\npkgrel=1\narch=(any)\nsource=(https://x.y/g?raw=1 n.zip::https://x.y/h?x=1)\n`,
  );
  assertEquals(p.variables.source, ["https://x.y/g?raw=1", "n.zip::https://x.y/h?x=1"]);
});

Deno.test("parsePkgbuild() knows the positional parameters after a top-level set --", () => {
  const p = parsePkgbuild(
    `pkgname=s\npkgver=1\npkgrel=1\narch=(any)\nset -- a "b c"\ndepends=("$@" "n$#")\nshift\n` +
      `makedepends=("$1")\n`,
  );
  assertEquals(p.variables.depends, ["a", "b c", "n2"]);
  assertEquals(p.variables.makedepends, ["b c"]);
});

Deno.test("parsePkgbuild() names the command substitution and line of a refused command", () => {
  const e = refusal(`pkgname=x\nsource=(\n  "local::git+file://$(pwd)"\n)\n`);
  assertEquals(e.line, 3);
  assertEquals(e.message.includes("command substitution runs the external command 'pwd'"), true);
});

Deno.test("parsePkgbuild() runs makepkg's stderr helpers and refuses set -e, which makes makepkg fail", () => {
  const p = parsePkgbuild(
    `pkgname=w\npkgver=1\npkgrel=1\narch=(any)\nwarning "deprecated"\n_x=$(error "oops"; echo c)\n`,
  );
  assertEquals(p.variables._x, "c");
  assertEquals(refusal(`set -e\npkgname=w\n`).construct, "set -e");
  assertEquals(refusal(`pkgname=w\nmsg "hello"\n`).construct, "external command 'msg'");
});

Deno.test("parsePkgbuild() compacts sparse arrays and names them in sparseArrays", () => {
  const p = parsePkgbuild(
    `pkgname=s\npkgver=1\npkgrel=1\narch=(any)\nsource[0]=a.tar.gz\nsource[2]=b.tar.gz\n`,
  );
  assertEquals(p.variables.source, ["a.tar.gz", "b.tar.gz"]);
  assertEquals(p.sparseArrays, ["source"]);
  assertEquals(
    parsePkgbuild(`pkgname=s\npkgver=1\npkgrel=1\narch=(any)\n`).sparseArrays,
    undefined,
  );
});

Deno.test("parsePkgbuild() refuses an override that reads makepkg's locals, naming its line", () => {
  const e = refusal(
    `pkgname=(a b)\npkgver=1\npkgrel=1\narch=(any)\npackage_a() {\n  :\n  depends=("$attrname")\n}\n` +
      `package_b() { :; }\n`,
  );
  assertEquals(e.line, 7);
  assertEquals(e.construct, "variable 'attrname'");
});

Deno.test("parsePkgbuild() refuses assignments to makepkg's read-only and evaluated variables", () => {
  assertEquals(refusal(`pkgname=x\nstartdir=/tmp\n`).construct, "assignment to 'startdir'");
  refusal(`pkgname=x\nshellopts='echo hi'\n`);
  refusal(`pkgname=x\nunset known_hash_algos\n`);
});

Deno.test("parsePkgbuild() refuses redefining one of makepkg's own functions", () => {
  assertEquals(refusal(`pkgname=x\nin_array() { return 0; }\n`).construct, "function 'in_array'");
});

Deno.test("parsePkgbuild() expands $srcdir and $pkgdir to empty, as makepkg has not set them yet", () => {
  const p = parsePkgbuild(`pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n_b="$srcdir/build"\n`);
  assertEquals(p.variables._b, "/build");
});

Deno.test("parsePkgbuild() runs set -u sections and refuses set -u left on, which breaks makepkg", () => {
  const head = "pkgname=a\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n";
  const ok = parsePkgbuild(`set -u\n${head}pkgdesc="\${pkgname^^} \${x-none}"\nset +u\n`, {
    carch: "x86_64",
  });
  assertEquals(ok.variables.pkgdesc, "A none");
  assertEquals(refusal(`set -u\n${head}`).message.includes("set -u is still on"), true);
  assertEquals(
    refusal(`set -u\n${head}pkgdesc=$y\nset +u\n`).message.includes("'y' is unset"),
    true,
  );
});

Deno.test("parsePkgbuild() keeps a variable or function named __proto__ as its own entry", () => {
  const p = parsePkgbuild(
    "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n__proto__=(a b)\n__proto__() { :; }\npackage() { :; }\n",
  );
  assertEquals(Object.hasOwn(p.variables, "__proto__"), true);
  assertEquals(Object.getPrototypeOf(p.variables), Object.prototype);
  assertEquals("length" in p.variables, false);
  assertEquals(Object.keys(p.functions), ["__proto__", "package"]);
});

const HEAD = "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n";

Deno.test("parsePkgbuild() gives the bash parser's errors their PKGBUILD codes", () => {
  const crlf = assertThrows(() => parsePkgbuild("pkgname=x\r\n"), BashSyntaxError);
  assertEquals([crlf.code, crlf.exitCode, crlf.line], ["PKGBUILD_CRLF", 10, 1]);
  assertEquals(crlf.message.includes("which makepkg refuses to source"), true);
  const syntax = assertThrows(() => parsePkgbuild(`${HEAD}if true; then\n`), BashSyntaxError);
  assertEquals(syntax.code, "PKGBUILD_SYNTAX");
  const big = assertThrows(
    () => parsePkgbuild("x".repeat(5 * 1024 * 1024)),
    BashLimitError,
  );
  assertEquals(big.code, "PKGBUILD_TOO_COMPLEX");
});

Deno.test("parsePkgbuild() reads unset environment variables as makepkg's clean environment has them, and lists them", () => {
  const p = parsePkgbuild(
    `${HEAD}pkgdesc="a\${CARGO_HOME:+ cargo}\${_BUILD_DOCS:-}"\nif [[ -v GOPATH ]]; then depends=(go); fi\n`,
  );
  assertEquals(p.variables.pkgdesc, "a");
  assertEquals(p.variables.depends, undefined);
  assertEquals(p.environmentReads, ["CARGO_HOME", "GOPATH", "_BUILD_DOCS"]);
  assertEquals(parsePkgbuild(`${HEAD}_x=\${foo:-y}\n`).environmentReads, undefined);
  assertEquals(parsePkgbuild(`${HEAD}CARGO_HOME=/c; _x=$CARGO_HOME\n`).environmentReads, undefined);
});

Deno.test("parsePkgbuild() refuses variables whose value depends on the machine or the moment", () => {
  for (
    const name of ["HOME", "SOURCE_DATE_EPOCH", "PATH", "CFLAGS", "MAKEFLAGS", "LC_ALL", "startdir"]
  ) {
    const e = assertThrows(
      () => parsePkgbuild(`${HEAD}_x=$${name}\ndepends=("$_x")\n`),
      PkgbuildRefusedError,
    );
    assertEquals(e.construct, `variable '${name}'`);
  }
});

Deno.test("parsePkgbuild() runs check_option and check_buildoption as makepkg does, refusing what makepkg.conf decides", () => {
  const p = parsePkgbuild(
    `${HEAD}options=(!strip docs strip)\ncheck_option strip y && pkgdesc=on\ncheck_option docs n || url=x\n`,
  );
  assertEquals([p.variables.pkgdesc, p.variables.url], ["on", "x"]);
  const e = assertThrows(
    () => parsePkgbuild(`${HEAD}check_option lto y && pkgdesc=lto\n`),
    PkgbuildRefusedError,
  );
  assertEquals(e.construct, "check_option lto");
  assertThrows(() => parsePkgbuild(`${HEAD}check_buildenv ccache y\n`), PkgbuildRefusedError);
  assertThrows(() => parsePkgbuild(`${HEAD}check_option() { :; }\n`), PkgbuildRefusedError);
});

Deno.test("parsePkgbuild()'s refusals name makepkg as the host", () => {
  const e = assertThrows(() => parsePkgbuild(`${HEAD}_v=$(sed s/a/b/)\n`), PkgbuildRefusedError);
  assertEquals(e.message.includes("the standard input makepkg inherits"), true);
});
