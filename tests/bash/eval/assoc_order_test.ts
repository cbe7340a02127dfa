import { assert, assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { bashHash } from "../../../src/bash/eval/assoc_order.ts";
import { prng } from "../../_prng.ts";

const D = "$";

const ALPHABET = "abcxyz019_-.+:ABZ";
const WORDS = ["x86_64", "aarch64", "i686", "armv7h", "jdk8", "jdk11", "jdk17", "jdk21", "é", "ü1"];

function randomKey(r: () => number): string {
  if (r() < 0.3) return WORDS[Math.floor(r() * WORDS.length)];
  const n = 1 + Math.floor(r() * 6);
  let k = "";
  for (let i = 0; i < n; i++) k += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return k;
}

const PRINT = `printf '<%s>' "${D}{!a[@]}"; echo; printf '<%s>' "${D}{a[@]}"; echo`;

/** A random history of insertions, re-assignments, `+=`, removals and compound assignments. */
function randomScript(r: () => number): string {
  const lines: string[] = [r() < 0.5 ? "declare -A a" : "local -A a"];
  const live: string[] = [];
  const steps = 1 + Math.floor(r() * 25);
  for (let s = 0; s < steps; s++) {
    const p = r();
    if (p < 0.45 || !live.length) {
      const k = randomKey(r);
      lines.push(`a['${k}']=v${s}`);
      if (!live.includes(k)) live.push(k);
    } else if (p < 0.6) {
      lines.push(`a['${live[Math.floor(r() * live.length)]}']+=w${s}`);
    } else if (p < 0.75) {
      const k = live.splice(Math.floor(r() * live.length), 1)[0];
      lines.push(`unset "a[${k}]"`);
    } else if (p < 0.85) {
      const ks = Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomKey(r));
      lines.push(`a+=(${ks.map((k, i) => `['${k}']=p${i}`).join(" ")})`);
      for (const k of ks) if (!live.includes(k)) live.push(k);
    } else if (p < 0.95) {
      const ks = Array.from({ length: Math.floor(r() * 6) }, () => randomKey(r));
      lines.push(`a=(${ks.map((k, i) => `['${k}']=c${i}`).join(" ")})`);
      live.length = 0;
      for (const k of ks) if (!live.includes(k)) live.push(k);
    } else {
      lines.push(`(a[zz${s}]=1; unset "a[${live[0]}]"; ${PRINT})`);
    }
  }
  lines.push(PRINT);
  return lines.join("\n");
}

Deno.test("bashHash: FNV-1 over signed chars", () => {
  assertEquals(bashHash(""), 2166136261);
  assertEquals(bashHash("a"), (Math.imul(2166136261, 16777619) >>> 0 ^ 0x61) >>> 0);
  // a byte >= 0x80 is XORed sign-extended
  const h = bashHash("\u00e9"); // UTF-8 c3 a9
  let e = Math.imul(2166136261, 16777619) >>> 0;
  e = (e ^ 0xffffffc3) >>> 0;
  e = (Math.imul(e, 16777619) >>> 0 ^ 0xffffffa9) >>> 0;
  assertEquals(h, e);
});

Deno.test("associative array order: random histories match bash", async () => {
  const r = prng(17);
  for (let batch = 0; batch < 8; batch++) {
    const snippets = Array.from({ length: 50 }, () => randomScript(r));
    const { mismatches, refused } = await compareWithBash(snippets);
    assertEquals(mismatches, []);
    assertEquals(refused, []);
  }
});

Deno.test("associative array order: literals, loops, copies and ${!a[*]}", async () => {
  const snippets = [
    `declare -A a=([x86_64]=1 [aarch64]=2 [i686]=3 [armv7h]=4); echo "${D}{!a[*]}" "${D}{a[*]}"`,
    `declare -A _jdks=([8]=a [11]=b [17]=c [21]=d); for k in "${D}{!_jdks[@]}"; do echo "$k=${D}{_jdks[$k]}"; done`,
    `declare -A m; m[one]=1; m[two]=2; m[three]=3; m[two]=22; echo "${D}{!m[@]}" "${D}{m[@]}"`,
    `declare -A m=([b]=1 [a]=2); m=([c]=3 [d]=4 [e]=5); echo "${D}{!m[@]}"`,
    `declare -A m=([b]=1 [a]=2); m+=([c]=3 [a]=9); echo "${D}{!m[@]}" "${D}{m[@]}"`,
    `declare -A m; m=x; m[y]=1; m[z]=2; echo "${D}{!m[@]}" "${D}{m[@]}"`,
    `declare -A m=([a]=1 [b]=2 [c]=3); f() { local -A m=([q]=1 [r]=2 [s]=3); echo "${D}{!m[@]}"; }; f; echo "${D}{!m[@]}"`,
    `declare -A m=([a]=1 [b]=2 [c]=3); ( m[d]=4; echo "${D}{!m[@]}" ); echo "${D}{!m[@]}"`,
    `declare -A m=([pkg-a]=1 [pkg-b]=2 [lib32-x]=3); printf '%s\\n' "${D}{!m[@]}" | head -n 2`,
    `declare -A m=([a b]=1 [c]=2 [d e f]=3); for k in ${D}{!m[@]}; do echo "[$k]"; done`,
    `declare -A a; (( a[x]=1, a[y]=2, a[zz]+=3, a[q]++ )); echo "${D}{!a[@]}" "${D}{a[@]}"`,
    `declare -A a; printf -v 'a[k1]' %s v1; printf -v 'a[k2]' %s v2; printf -v 'a[k0]' %s v0; echo "${D}{!a[@]}"`,
    `declare -A a=([m]=1 [n]=2 [o]=3); for k in "${D}{!a[@]}"; do unset "a[$k]"; done; echo "${D}{#a[@]}"`,
    `declare -A a=([m]=1 [n]=2 [o]=3); unset a; declare -A a; a[o]=1; a[n]=2; a[m]=3; echo "${D}{!a[@]}"`,
    `f() { declare -gA G; G[a1]=1; G[b2]=2; G[c3]=3; }; f; echo "${D}{!G[@]}"`,
    `declare -A a=([m]=1 [n]=2 [o]=3); IFS=,; echo "${D}{a[*]}" "${D}{!a[*]}"`,
  ];
  const { mismatches, refused } = await compareWithBash(snippets);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("associative array order: growth past 2048 keys and removal after it", async () => {
  const snippets = [
    `declare -A a; for ((i=0;i<2100;i++)); do a[k$i]=$i; done; printf '%s,' "${D}{!a[@]}" | md5sum`,
    `declare -A a; for ((i=0;i<9000;i++)); do a[k$i]=1; done; printf '%s,' "${D}{!a[@]}" | md5sum`,
    `declare -A a; for ((i=0;i<2100;i++)); do a[k$i]=1; done; for ((i=0;i<2090;i++)); do unset "a[k$i]"; done; a[new]=1; echo "${D}{!a[@]}"`,
    `declare -A a; for ((i=0;i<2100;i++)); do a[k$i]=1; done; a=([x]=1 [y]=2 [z]=3 [k1]=1 [k2]=2 [k3]=3 [k4]=1 [k5]=1 [k6]=1 [k7]=1 [k8]=1 [k9]=1); echo "${D}{!a[@]}"`,
  ];
  // md5sum is not one of the evaluator's commands: compare the key lists instead
  const plain = snippets.map((s) => s.replace(` | md5sum`, ""));
  const { mismatches, refused } = await compareWithBash(plain);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("associative array order: one key needs no table", () => {
  const got = evalSnippet(`declare -A m=([only]=1); echo "${D}{!m[@]}"`);
  assert("out" in got && got.out === "only\n");
});
