import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";

const D = "$";

/** read, heredocs, declare attributes, scoping, loops and tests, checked against bash. */
const CASES: string[] = [
  `read -r -d '' v <<'EOF'\n  line one\n  line $x two\nEOF\necho "[${D}v]" $?`,
  `x=X; read -r -d '' v <<EOF\n a ${D}x\n\tb\nEOF\necho "[${D}v]"`,
  `read -r -d '' v <<-EOF\n\ta\n\t\tb\n\tEOF\necho "[${D}v]"`,
  `read -ra arr <<< "  a  b   c "; echo "${D}{#arr[@]}:${D}{arr[*]}"`,
  `IFS=, read -r a b c <<< "1,2"; echo "[${D}a][${D}b][${D}c]"`,
  `read -r a <<< ""; echo "[${D}a]" $?`,
  `while read -r l; do echo "<${D}l>"; done <<< $'x\\ny\\nz'`,
  `while IFS== read -r k v; do printf '%s->%s;' "${D}k" "${D}v"; done <<EOF\na=1\nb=2=3\nEOF\necho`,
  `declare -a a=(1 2); declare -A m; m[x]=1; m[y]+=2; echo "${D}{m[x]}${D}{m[y]}" ${D}{#m[@]}`,
  `f() { local -a l=(a b); local -i n=3*4; echo "${D}{l[1]}${D}n"; }; f`,
  `a=(1 2 3); a[1]+=x; a+=([10]=y z); echo "${D}{a[@]}" "${D}{!a[@]}"`,
  `s=abc; s+=def; s[0]+=g; echo $s`,
  `x=1; f() { local x; x=2; g; }; g() { x=3; }; f; echo $x`,
  `x=1; f() { unset x; echo "${D}{x-unset}"; }; f; echo $x`,
  `f() { local x=5; unset x; echo "${D}{x-unset}"; }; x=1; f`,
  `v=x; b=1; f() { local v=$v; local a=("$v" y); local b=$b$b; echo "$v ${D}{a[*]} $b"; }; f`,
  `v=$(printf '%s\\n' a b c); mapped=(${D}v); echo ${D}{#mapped[@]}`,
  `echo $(( 5 > 3 ? 10 : 20 )) $(( -5 / 2 )) $(( 2 ** 62 * 4 )) $(( 1 << 63 ))`,
  `printf '%3d|%-3d|%03d|%+d\\n' 5 5 5 5; printf '%s\\n'; printf 'x%sy\\n' ""`,
  `printf -v v '%05d' 1; echo $v`,
  `i=0; until (( i >= 3 )); do (( i++ )); done; echo $i`,
  `for ((i=0, j=10; i<3; i++, j--)); do echo -n "$i$j "; done; echo`,
  `case "a.b" in *.*) echo dot;; esac; case "" in "") echo empty;; esac; case x in [[:alpha:]]) echo cls;; esac`,
  `x=5; [[ $x -gt 3 && ( $x -lt 10 || $x == 20 ) ]] && echo ok`,
  `[[ -n $undefined_var ]] || echo unset; [[ "a b" == "a b" ]] && echo eq`,
  `v=1.2.3-4; echo "${D}{v%%-*}" "${D}{v##*-}" "${D}{v%.*}" "${D}{v//[.-]/_}"`,
  `v="Some Text"; echo "${D}{v,,}" "${D}{v^^}"`,
  `a=(x y z); for i in "${D}{!a[@]}"; do echo -n "$i=${D}{a[i]} "; done; echo`,
  `a=(x y z); echo "${D}{a[@]:1}" "${D}{a[@]: -1}" "${D}{a[*]:0:2}"`,
  `str="a,b,c"; IFS=, read -ra parts <<< "$str"; printf '[%s]' "${D}{parts[@]}"; echo`,
  `[[ 1.2.3 =~ ^([0-9]+)\.([0-9]+) ]] && echo "${D}{BASH_REMATCH[1]} ${D}{BASH_REMATCH[2]}"`,
  `[[ "a.b" =~ [.] ]] && echo dot; [[ axb =~ "a.b" ]] || echo literal; [[ ab =~ a|c ]] && echo alt`,
  `re='^v([0-9.]+)${D}'; [[ v1.2 =~ $re ]] && echo "${D}{BASH_REMATCH[1]}"; [[ x =~ [[:alpha:]] ]] && echo cls`,
];

Deno.test("the evaluator's builtins, scoping and loops match real bash", async () => {
  const { mismatches, refused } = await compareWithBash(CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("set -u expands set variables as bash does and refuses where bash stops on an unset one", async () => {
  const { mismatches, refused } = await compareWithBash([
    `set -u; x=1; echo $x ${D}{y-d} ${D}{y:-e} ${D}{y+f} "$@" $# ${D}{#x}; set +u; echo $z.`,
    `set -u; a=(); echo "${D}{a[@]}" ${D}{#a[@]}; x=; echo "[$x]" $((x+1))`,
    `set -o nounset; v=1; echo $v; set +o nounset; echo "[$w]"`,
  ]);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
  for (const code of ["set -u; echo $y", "set -u; echo $(( y + 1 ))", "set -u; echo $1"]) {
    assertEquals(evalSnippet(code), {
      refused: `'${code.match(/[y1]/)?.[0]}' is unset while set -u is on`,
    });
  }
  assertEquals("refused" in evalSnippet("set -o nounset; echo ${#u[@]}"), true);
});

Deno.test(": and true ignore their arguments, so their globs are not refused but other expansions run", async () => {
  const { mismatches, refused } = await compareWithBash([
    `: *.c [a-z]* \${x:=set}; echo $x`,
    `true *; echo $?; : ' a comment with 'glob*' inside'; echo ok`,
    `false ?; echo $?; n=0; : $((n += 2)) *; echo $n`,
  ]);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
  assertEquals("refused" in evalSnippet("x=(a*)"), true);
  assertEquals("refused" in evalSnippet("true() { :; }; true a*"), true);
});

Deno.test("names of Object.prototype properties are ordinary names, never JavaScript members", async () => {
  for (
    const code of [
      "x=$(toString)",
      "constructor a",
      "hasOwnProperty",
      "valueOf",
      "__proto__",
      "builtin constructor",
      "echo abc | sed 's/[[:constructor:]]/X/'",
      "echo abc | tr '[:constructor:]' x",
      "echo a | cut --constructor -f1",
      "seq --constructor 3",
    ]
  ) {
    assertEquals("refused" in evalSnippet(code), true, code);
  }
  const { mismatches, refused } = await compareWithBash([
    "v=abc; echo ${v//[[:constructor:]]/X}; [[ $v == *[[:toString:]]* ]] && echo y || echo n",
    'declare -A m; m[constructor]=1; echo "[${m[toString]}]" ${m[constructor]}; echo $((valueOf + 1))',
  ]);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});
