/**
 * Hostile-input fuzzing of the PKGBUILD engine: random and mutated
 * PKGBUILD-like texts (seeded, so every run is reproducible) go through
 * `parseBash` and `parsePkgbuild`, which must return or throw one of their
 * typed errors, within a bounded time per input.
 *
 * The code under test is pure: it never runs anything. To prove it, the
 * run replaces `Deno.Command` with a stub that records any use (and
 * throws), and asserts it was never called.
 *
 * @module
 */

import { assert, assertEquals } from "../_assert.ts";
import { parseBash } from "../../src/bash/parse/parser.ts";
import { BashLimitError, BashSyntaxError } from "../../src/bash/errors.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { ProvisionerError } from "../../src/errors.ts";
import { prng } from "../_prng.ts";

const SAMPLES: string[] = [
  `pkgname=llm-worker-rbee-cpu
pkgver=0.1.0
pkgrel=1
pkgdesc="LLM worker (\${pkgname##*-} build)"
arch=(x86_64 aarch64)
url="https://github.com/rbee/llama-orch"
license=('GPL-3.0-or-later')
depends=(gcc-libs)
makedepends=(cargo git)
source=("git+https://github.com/rbee/llama-orch.git#branch=main")
sha256sums=('SKIP')
pkgver() { cd "$srcdir/llama-orch"; git describe --long --tags | sed 's/\\([^-]*-g\\)/r\\1/;s/-/./g'; }
build() {
  cd "$srcdir/llama-orch"
  cargo build --release --no-default-features --features cpu
}
check() { cd "$srcdir/llama-orch" && cargo test; }
package() {
  install -Dm755 "target/release/llm-worker-rbee" "$pkgdir/usr/local/bin/$pkgname"
}
`,
  `pkgbase=premium
pkgname=(premium-worker premium-docs)
pkgver=2.3.1
pkgrel=2
arch=('x86_64' 'aarch64')
source_x86_64=("https://example.invalid/worker-x86_64.tar.gz")
source_aarch64=("https://example.invalid/worker-aarch64.tar.gz")
sha256sums_x86_64=('0000000000000000000000000000000000000000000000000000000000000000')
sha256sums_aarch64=('1111111111111111111111111111111111111111111111111111111111111111')
noextract=("app.tar.gz")
case "$CARCH" in
  x86_64) _arch=amd64 ;;
  aarch64|armv7h) _arch=arm64 ;;
  *) _arch=unknown ;;
esac
package_premium-worker() {
  depends=(glibc "openssl>=3")
  pkgdesc="Worker"
  install -Dm755 llm-worker-rbee-premium "$pkgdir/usr/local/bin/$pkgname"
  cat > "$pkgdir/etc/w.conf" <<EOF
arch=$_arch
EOF
}
package_premium-docs() {
  arch=(any)
  for f in docs/*.md; do install -Dm644 "$f" "$pkgdir/usr/share/doc/\${f##*/}"; done
  [[ -d extra ]] && cp -r extra "$pkgdir/" || true
}
`,
  `_name=foo
pkgname=python-\${_name}-git
pkgver=r123.abcdef
pkgrel=1
epoch=1
arch=(any)
optdepends=('python-bar: for bar support'
            "python-baz: \${_name} baz")
_ver=\${pkgver%.*}
_list=(\${_ver//./ })
(( \${#_list[@]} > 1 )) && provides=("\${_name}=\${_list[0]}")
if [[ $CARCH == x86_64 && -n "\${_ver}" ]]; then
  depends+=("lib32-glibc")
elif [[ \${_ver} =~ ^r[0-9]+(\\.[a-f0-9]+)?$ ]]; then
  conflicts=("\${_name}")
fi
prepare() {
  local -a patches=(*.patch)
  for p in "\${patches[@]}"; do patch -Np1 -i "../$p"; done
  sed -i -e "s|/usr/local|/usr|g" -e 's/a/b/' Makefile
  find . -name '*.pyc' -exec rm {} \\;
  while read -r line; do echo "\${line@Q}"; done < <(grep -v '^#' list)
  printf '%s\\n' "$(( 1 << 2 ))" $'tab\\there' 2>&1 >/dev/null
  exec 3>&1; { echo; } > f
}
`,
];

const TOKENS = [
  "$(",
  ")",
  '"',
  "'",
  "{",
  "}",
  "<<EOF\n",
  "<<-'EOF'\n",
  "\nEOF\n",
  "((",
  "))",
  "[[",
  "]]",
  "${",
  "`",
  "\\",
  "\\\n",
  "\n",
  ";",
  ";;",
  "&&",
  "||",
  "|",
  "&",
  "(",
  "$((",
  "${x:-",
  "${x//",
  "case x in ",
  "esac",
  "if ",
  "then ",
  "fi",
  "do ",
  "done",
  "for i in ",
  "function ",
  "f() ",
  "=(",
  "+=(",
  "$'",
  '$"',
  "#",
  " ",
  "\t",
  "<(",
  ">(",
  "2>&1",
  "<<<",
  "!",
  "@(",
  "*",
  "[",
  "]",
  "=~",
  "\r",
  "\0",
  "é",
  "\u{1F600}",
];

function mutate(text: string, rand: () => number): string {
  let s = text;
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 6);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 8));
    else if (op === 1) {
      const len = Math.floor(rand() * 40);
      s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    } else if (op === 2 || op === 3) {
      s = s.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)] + s.slice(at);
    } else if (op === 4) s = s.slice(0, at);
    else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + s.slice(at);
  }
  return s;
}

function randomSoup(rand: () => number): string {
  let s = "";
  const n = Math.floor(rand() * 60);
  for (let k = 0; k < n; k++) {
    s += rand() < 0.7
      ? TOKENS[Math.floor(rand() * TOKENS.length)]
      : "abc=x"[Math.floor(rand() * 5)];
  }
  return s;
}

async function fixtureSamples(): Promise<string[]> {
  const out: string[] = [];
  const dir = new URL("../../fixtures/pkgbuild/", import.meta.url);
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(await Deno.readTextFile(new URL(`${e.name}/PKGBUILD`, dir)));
  }
  if (out.length < 100) throw new Error(`only ${out.length} fixture PKGBUILDs in ${dir}`);
  return out.sort().slice(0, 60);
}

function check(
  input: string,
  fn: (s: string) => unknown,
  allowed: (e: unknown) => boolean,
): void {
  try {
    fn(input);
  } catch (e) {
    if (!allowed(e)) {
      throw new Error(`unexpected ${e} for input ${JSON.stringify(input.slice(0, 300))}`, {
        cause: e,
      });
    }
  }
}

Deno.test("parseBash() and parsePkgbuild() only return or throw typed errors on 100k hostile inputs, running nothing", async () => {
  const samples = [...SAMPLES, ...(await fixtureSamples())];
  const rand = prng(0x5eed);
  const original = Deno.Command;
  let spawned = 0;
  // deno-lint-ignore no-explicit-any
  (Deno as any).Command = function () {
    spawned++;
    throw new Error("the PKGBUILD engine tried to run a process");
  };
  const total = 100_000;
  let evaluated = 0;
  try {
    for (let i = 0; i < total; i++) {
      const input = i % 10 === 9 ? randomSoup(rand) : mutate(samples[i % samples.length], rand);
      check(
        input,
        (s) => parseBash(s),
        (e) => e instanceof BashSyntaxError || e instanceof BashLimitError,
      );
      if (i % 20 === 0) {
        evaluated++;
        check(
          input,
          (s) => parsePkgbuild(s, { carch: "x86_64" }),
          (e) => e instanceof ProvisionerError,
        );
      }
    }
  } finally {
    // deno-lint-ignore no-explicit-any
    (Deno as any).Command = original;
  }
  console.log(`fuzz: ${total} inputs parsed (${evaluated} also evaluated)`);
  assertEquals(spawned, 0);
});

Deno.test("parseBash() refuses 150 unclosed $(( with a typed error", () => {
  const unclosed = "$((".repeat(150);
  try {
    parseBash(unclosed);
  } catch (e) {
    assert(e instanceof BashSyntaxError || e instanceof BashLimitError);
    return;
  }
  throw new Error("150 unclosed $(( parsed");
});
