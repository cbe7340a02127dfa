import { assert, assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";

const D = "$";

/** eval's quoting, scoping, functions, arrays, statuses and syntax errors, checked against bash. */
const CASES: string[] = [
  `eval 'x=1; y=(a "b c")'; echo "$x" "${D}{#y[@]}" "${D}{y[1]}"`,
  `eval echo '"a  b"' c '  d'`,
  `eval 'x=1' 'y=2'; echo "$x$y"; eval echo a' 'b`,
  `v='a b'; eval "w=\\"$v\\""; echo "[$w]"`,
  `s='*?[x] ${D}HOME "q" \\\\ ${D}(no)'; eval 'u="$s"'; echo "$u"; eval "t=\\$s"; echo "$t"`,
  `s="it's"; eval "q='${D}{s//\\'/\\'\\\\\\'\\'}'"; echo "$q"`,
  `eval "eval 'eval \\"z=deep\\"'"; echo $z`,
  `eval 'mk() { eval "$1() { echo made $1 \\$1; }"; }'; mk foo; foo bar`,
  `for p in a b; do eval "pk_$p() { echo in $p \\$1; }"; done; pk_a x; pk_b y`,
  `eval 'arr=(1 2 3)'; eval 'arr+=(4)'; eval "arr[7]=x"; echo "${D}{arr[@]}" "${D}{!arr[@]}"`,
  `for a in x86_64 aarch64; do eval "src_$a=(foo_$a.tgz::https://x/foo_$a.tgz)"; done; echo "${D}{src_x86_64[@]}" "${D}{src_aarch64[0]}"`,
  `n=3; eval "sums_$n+=('abc' \\"d e\\")"; eval 'echo "${D}{#sums_3[@]}" "${D}{sums_3[1]}"'`,
  `eval false; echo $?; eval true; echo $?; eval 'true; false'; echo $?; eval '[[ -n x ]]'; echo $?`,
  `g() { eval 'return 3'; echo no; }; g; echo $?; h() { eval 'false; return'; }; h; echo $?`,
  `g() { eval 'local l=inner; echo "$l"'; echo "$l"; }; l=outer; g; echo "$l"`,
  `g() { local a=1; eval 'a=2; b=3'; echo $a $b; }; g; echo "[$a]" $b`,
  `false; eval ''; echo $?; false; eval; echo $?; false; eval '   '; echo $?`,
  `eval 'if'; echo $?; eval 'a=1; ('; echo $? "[$a]"`,
  `eval 'x=1\ny=$(\n'; echo $? "[$x]" "[$y]"`,
  `eval 'x=1\nif true; then\n  y=2\nfi\nz=3; )'; echo $? "[$x][$y][$z]"`,
  `eval 'echo one\necho "two'; echo $?`,
  `for i in 1 2 3; do eval 'if [[ $i == 2 ]]; then break; fi'; echo $i; done`,
  `for i in 1 2 3; do eval '[[ $i == 2 ]] && continue'; echo $i; done`,
  `eval -- 'echo dashdash'; eval -x; echo $?; eval -1 2; echo $?`,
  `_pkg=x; read -r -d '' fun <<EOF\nfunction pk_${D}{_pkg}() {\n  pkgdesc="desc of ${D}{_pkg}"\n  echo "body \\$1 \\$pkgdesc"\n}\nEOF\neval "$fun"; pk_x 1`,
  `eval "echo \\$'a\\\\tb'"; eval 'echo "a\\\\nb"'`,
  `set -- a b; eval 'echo $# "$2"'; eval 'set -- c'; echo "$1" $#`,
  `x=$(eval 'echo sub; echo err >&2'); echo "[$x]"; eval 'echo hidden' >/dev/null; echo shown`,
  `eval 'echo p' | { read -r l; echo "got $l"; }`,
  `shopt -s extglob; v=abc; eval 'echo ${D}{v/@(b)/X}; case ab in @(a|x)b) echo m;; esac'`,
  `n=1; eval '(( n += 4 ))'; echo $n; eval 'let "n*=2"'; echo $n`,
  `eval 'declare -A m=([k]=v [j]=w)'; echo "${D}{m[k]}${D}{m[j]}"; eval 'declare -i i=2+3'; echo $i`,
  `cmd='x=1;y=2\nz=$((x+y))'; eval "$cmd"; echo $z`,
  `eval 'echo "a b" # a comment'; eval '# only a comment'; echo $?`,
  `f2() { echo "args: $*"; }; eval f2 '"1 2"' 3; a='$b'; b=ok; eval echo $a`,
  `eval 'for i in 1 2; do echo i$i; done; while false; do :; done'; echo $?`,
  `eval "$(printf 'v=%s' val)"; echo $v`,
  `if eval '[[ a == a ]]'; then echo yes; fi; eval false || echo failed`,
  `eval 'g() (echo sub $1)'; g s; eval 'function k { echo k; }'; k`,
  `eval $'x=a\\rb'; echo "${D}{#x}"`,
];

Deno.test("eval matches real bash: quoting, nesting, functions, arrays, statuses and syntax errors", async () => {
  const { mismatches, refused } = await compareWithBash(CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("eval is bounded: a function that evals itself hits the recursion limit", () => {
  assertEquals(evalSnippet("g() { eval g; }; g"), {
    refused: "calls and substitutions nest deeper than 100",
  });
  assert("refused" in evalSnippet(`s='eval "$s"'; eval "$s"`));
});

Deno.test("eval refuses what its string runs when that is impure", () => {
  assertEquals(evalSnippet(`eval '_v=$(uname -r)'`), {
    refused:
      "command substitution runs the external command 'uname'; the static evaluator never runs commands (use the trusted fallback to source it in a sandbox)",
  });
  assertEquals("refused" in evalSnippet("eval 'source ./x.sh'"), true);
  assertEquals("refused" in evalSnippet("eval --help"), true);
  // bash's recovery from a broken array assignment in eval ends a subshell but not the top level
  assert("refused" in evalSnippet("eval 'x=1\ny=(\n'; echo $?"));
  assert("refused" in evalSnippet("eval 'y=(a; b)'; echo $?"));
});
