/**
 * Generates PKGBUILDs from the idioms real ones use, combined at random
 * from a seed (deterministic): version mangling, brace and array
 * expansions, loops and `case` over `$CARCH`, environment switches,
 * per-arch sources and sums, VCS fragments, split packages with overrides
 * and appends, `eval`'d package functions. `bench/corpus_compare.ts
 * --generate N DIR` writes N of them for a differential run against
 * makepkg.
 *
 * @module
 */

import { prng } from "../_prng.ts";

type Pick = <T>(items: readonly T[]) => T;

const LIBS = [
  "glibc",
  "zlib",
  "openssl",
  "curl",
  "libxml2",
  "sqlite",
  "gtk3",
  "qt6-base",
  "python",
];
const HEX = "0123456789abcdef";

function hex(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += HEX[Math.floor(rand() * 16)];
  return s;
}

function versionLines(pick: Pick): string[] {
  return pick([
    ["pkgver=1.4.2"],
    ["_ver=2.0.0-rc.3", "pkgver=${_ver//-/_}"],
    ["_tag=v3_1_7", "pkgver=${_tag#v}", "pkgver=${pkgver//_/.}"],
    ["_major=5", "_minor=12", "pkgver=$_major.$((_minor + 1)).0"],
    ["_ver=0.9.8", 'pkgver=$(printf "%s" "${_ver}")'],
    ['_ver="4.2 beta"', "pkgver=${_ver// /_}"],
    ["_date=20240131", "pkgver=0.0.${_date:0:4}.${_date:4:2}"],
  ]);
}

function dependsLines(pick: Pick, rand: () => number): string[] {
  const a = pick(LIBS), b = pick(LIBS), c = pick(LIBS);
  return pick([
    [`depends=('${a}' "${b}>=1.2")`],
    [`_deps=(${a} ${b})`, 'depends=("${_deps[@]/%/>=1.0}")'],
    [`depends=(lib{${a},${b}})`],
    [`depends=(${a})`, `[[ $CARCH == x86_64 ]] && depends+=(${b})`],
    [`depends=()`, `for _d in ${a} ${b} ${c}; do depends+=("$_d"); done`],
    [
      `depends=(${a} ${b})`,
      `if [[ -n \${_WITH_${b.replace(/-/g, "_").toUpperCase()}} ]]; then depends+=(${c}); fi`,
    ],
    [
      `depends=(${a})`,
      `case $CARCH in`,
      `  x86_64) depends+=(${b}) ;;`,
      `  *) depends+=(${c}) ;;`,
      `esac`,
    ],
    [
      `_optional=${rand() < 0.5 ? "yes" : "no"}`,
      `depends=(${a})`,
      `[[ $_optional == yes ]] && depends+=('${b}: optional')`.replace(": optional", ""),
    ],
  ]);
}

function sourceLines(pick: Pick, rand: () => number, name: string, archs: string[]): string[] {
  const url = `https://example.org/${name}`;
  const sum = () => (rand() < 0.3 ? "SKIP" : hex(rand, 64));
  const form = pick(["plain", "named", "git", "perarch", "brace"]);
  if (form === "git") {
    return [
      `source=("${name}::git+${url}.git#tag=v\${pkgver}" "${name}.desktop")`,
      `sha256sums=('SKIP' '${sum()}')`,
    ];
  }
  if (form === "perarch" && !archs.includes("any")) {
    const out: string[] = [`source=("${name}.service")`, `sha256sums=('${sum()}')`];
    for (const a of archs) {
      out.push(`source_${a}=("${url}/releases/\${pkgver}/${name}-${a}.tar.gz")`);
      out.push(`sha256sums_${a}=('${sum()}')`);
    }
    return out;
  }
  if (form === "brace") {
    return [
      `source=("${url}/${name}-\${pkgver}.tar.gz"{,.sig})`,
      `sha256sums=('${sum()}' 'SKIP')`,
      `validpgpkeys=('${hex(rand, 40).toUpperCase()}')`,
    ];
  }
  if (form === "named") {
    return [
      `source=("\${pkgname}-\${pkgver}.tar.gz::${url}/archive/v\${pkgver}.tar.gz")`,
      `b2sums=('${hex(rand, 128)}')`,
    ];
  }
  return [`source=("${url}/${name}-\${pkgver}.tar.xz")`, `md5sums=('${hex(rand, 32)}')`];
}

function singlePackage(pick: Pick, rand: () => number, name: string): string {
  const lines = [
    `pkgname=${name}`,
    ...versionLines(pick),
    `pkgrel=${1 + Math.floor(rand() * 3)}`,
    pick([
      `pkgdesc="A generated package named \${pkgname}"`,
      `_desc="tool for \${pkgname^^}"`,
      `pkgdesc="${name}: \${#pkgname} letters"`,
    ]),
  ];
  if (lines[lines.length - 1].startsWith("_desc")) lines.push('pkgdesc="A ${_desc,,}"');
  const archs = pick([["any"], ["x86_64"], ["x86_64", "aarch64"]]);
  lines.push(`arch=(${archs.join(" ")})`, `url="https://example.org/${name}"`);
  lines.push(`license=('${pick(["MIT", "GPL-3.0-or-later", "Apache-2.0", "BSD-3-Clause"])}')`);
  lines.push(...dependsLines(pick, rand));
  if (rand() < 0.5) lines.push(`makedepends=(${pick(["cmake", "meson", "go", "cargo"])} git)`);
  if (rand() < 0.4) {
    lines.push(
      `optdepends=('${pick(LIBS)}: for extra features'`,
      `            '${pick(LIBS)}: more')`,
    );
  }
  if (rand() < 0.3) {
    lines.push(`provides=("\${pkgname%-bin}=\${pkgver}")`, `conflicts=("\${pkgname}-git")`);
  }
  if (rand() < 0.3) lines.push(`options=(!strip ${pick(["!debug", "staticlibs", "!lto"])})`);
  if (rand() < 0.2) lines.push(`backup=("etc/${name}/${name}.conf")`);
  lines.push(...sourceLines(pick, rand, name, archs));
  lines.push("", "package() {", `  install -Dm755 ${name} "$pkgdir/usr/bin/${name}"`, "}");
  return lines.join("\n") + "\n";
}

function splitPackage(pick: Pick, rand: () => number, name: string): string {
  const subs = pick([["core", "docs"], ["cli", "gui", "common"], ["lib", "python"]]);
  const lines = [
    `pkgbase=${name}`,
    pick([
      `pkgname=(${subs.map((s) => `${name}-${s}`).join(" ")})`,
      `_parts=(${subs.join(" ")})`,
    ]),
  ];
  if (lines[1].startsWith("_parts")) lines.push('pkgname=("${_parts[@]/#/${pkgbase}-}")');
  lines.push(...versionLines(pick), "pkgrel=1", `pkgdesc="Generated split package ${name}"`);
  lines.push("arch=(x86_64 aarch64)", `url="https://example.org/${name}"`, "license=(MIT)");
  lines.push(`makedepends=(${pick(LIBS)})`);
  lines.push(...sourceLines(pick, rand, name, ["x86_64", "aarch64"]));
  const viaEval = rand() < 0.3;
  subs.forEach((s, i) => {
    const body = [
      pick([`  pkgdesc+=" (${s})"`, `  pkgdesc="The ${s} part"`, `  pkgdesc="\${pkgdesc} - ${s}"`]),
      pick([
        `  depends=(${pick(LIBS)})`,
        `  depends+=(${pick(LIBS)})`,
        `  depends=("${name}-${subs[0]}=\${pkgver}")`,
      ]),
    ];
    if (i === 0 && rand() < 0.5) body.push(`  provides=("${name}=\${pkgver}")`);
    if (rand() < 0.3) body.push("  arch=(any)");
    if (rand() < 0.3) {
      body.push(`  optdepends=('${pick(LIBS)}: optional'`, `              '${pick(LIBS)}: other')`);
    }
    body.push(`  install -d "$pkgdir/usr/share/${name}/${s}"`);
    if (viaEval) {
      lines.push(`_package_${s}() {`, ...body, "}");
    } else {
      lines.push("", `package_${name}-${s}() {`, ...body, "}");
    }
  });
  if (viaEval) {
    lines.push(
      `for _s in ${subs.join(" ")}; do`,
      `  eval "package_${name}-\${_s}() { _package_\${_s}; }"`,
      "done",
    );
  }
  return lines.join("\n") + "\n";
}

/** The `index`th generated PKGBUILD of the sequence for `seed`: its directory name and text. */
export function generatePkgbuild(seed: number, index: number): { name: string; text: string } {
  const rand = prng(seed * 100_003 + index);
  const pick: Pick = (items) => items[Math.floor(rand() * items.length)];
  const name = `gen-${seed}-${index}`;
  const text = rand() < 0.3 ? splitPackage(pick, rand, name) : singlePackage(pick, rand, name);
  return { name, text: `# Generated (seed ${seed}, #${index})\n${text}` };
}
