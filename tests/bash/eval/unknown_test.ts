/**
 * Unknown values against real bash: every snippet runs in bash under five
 * environments (the unknown variables unset, empty, shaped like options,
 * with spaces and globs, ordinary) and with an external command `ext` whose
 * output and status change with them. A snippet where the unknown only
 * flows must give bash's output under every environment; a snippet where
 * it decides must be refused with the unknown's first cause (and bash's
 * output must really change with the environment, so the case is one).
 */

import { assert, assertEquals } from "../../_assert.ts";
import { bashRuns, ours } from "./_unknown_oracle.ts";

/** Snippets where unknown values only move: the output is bash's under every environment. */
const FLOWS = [
  'x="$HOME"; y="pre-${x}-post"; z=$y; echo ok',
  'x=$(ext); y="--jobs $x"; echo "${#y[@]}"',
  'a=("$HOME" "$(ext)" lit); a+=("$BOLD"); echo "${#a[@]} ${a[2]}"',
  'f() { echo "$# $2"; }; f "$HOME" b',
  'g() { echo "$#"; }; f() { g "$@"; }; f "$HOME" "$(ext)" "$BOLD$BOLD"',
  'export K="$(ext)"; echo ok',
  'local l="$HOME"; declare d="$BOLD"; readonly r="$SOURCE_DATE_EPOCH"; echo ok',
  'x=$(printf \'%s-%s\\n\' "$HOME" "$BOLD"); echo ok',
  'x=$(echo a "$HOME"); y=$(echo -n "b$BOLD"); echo ok',
  'A=("x ${BOLD}y" y); echo "${A[1]}"',
  'x=$(ext); true; echo "$?"',
  "X=($HOME $(ext)); Y=($BOLD[@]); echo ok",
  'x="$HOME"; x=known; echo "$x ${#x}"',
  'HOME+=/x; HOME=/y; echo "$HOME"',
  'case known in k*) x="$HOME" ;; esac; echo ok',
  'for i in "$HOME" "$BOLD"; do y=$i; done; echo ok',
  "printf -v v '%s' \"$HOME\"; echo ok",
  'x="$(h() { echo "$1"; }; h "$HOME")"; echo ok',
  'y=$( x=$(ext); echo n ); echo "$y"',
  'x=$(ext); : "$x" $x; echo ok',
  "t=~/a; u=(~ ~/b); p=/tmp/x.$$; q=$RANDOM$PWD; echo ok",
];

/**
 * Snippets refused although bash's output happens not to change: the
 * evaluator does not look ahead to see that both branches do the same.
 */
const CONSERVATIVE: [string, string][] = [
  ["x=$(ext) || :; echo ok", "ext"],
];

/** Snippets where an unknown decides: refused, with the cause named here. */
const DECISIONS: [string, string][] = [
  ["[[ -n $HOME ]] && echo y", "HOME"],
  ['echo "${#HOME}"', "HOME"],
  ['x="$HOME"; y=$x; echo "${#y}"', "HOME"],
  ['a=($HOME); echo "${#a[@]}"', "HOME"],
  ['for w in $HOME; do echo "[$w]"; done', "HOME"],
  ["x=$(ext); if [[ $x == 4 ]]; then echo four; fi", "ext"],
  ["x=$(ext) && echo ok", "ext"],
  ['x=$(ext); echo "[$?]"', "ext"],
  ['echo "${HOME:-default}"', "HOME"],
  ['echo "${HOME#/}"', "HOME"],
  ["case \"$BOLD\" in '') echo empty ;; *) echo set ;; esac", "BOLD"],
  ["echo $(( SOURCE_DATE_EPOCH + 1 ))", "SOURCE_DATE_EPOCH"],
  ['x="$SOURCE_DATE_EPOCH"; echo $(( x + 1 ))', "SOURCE_DATE_EPOCH"],
  ['f() { [[ $1 == -n ]] && echo opt; }; f "$HOME"', "HOME"],
  ['echo "$HOME"', "HOME"],
  ['echo -e "x$BOLD"', "BOLD"],
  ['echo "$HOME" x', "HOME"],
  ['x=$(echo "$HOME"); echo "${x:0:1}"', "HOME"],
  ['x=$(basename "$HOME/x"); echo "[$x]"', "HOME"],
  ['export HOME; echo "[$HOME]"', "HOME"],
  ['HOME+=/x; echo "[$HOME]"', "HOME"],
  ['IFS="$BOLD"; a="x-y"; b=($a); echo "${#b[@]}"', "BOLD"],
  ['x=$(ext); [ "$x" = 4 ] && echo four', "ext"],
  ['x=$(ext); printf "$x"', "ext"],
  ['read -r v <<< "$HOME"; echo "[$v]"', "HOME"],
  ["! x=$(ext) && echo neg", "ext"],
  ["while x=$(ext); do echo once; break; done", "ext"],
  ["echo \"$HOME\" | sed 's/a/b/'", "HOME"],
  ['echo "$(printf \'%s\' "$HOME")"', "HOME"],
  ["printf '%5s|\\n' \"$BOLD\"", "BOLD"],
  ["[[ -v HOME ]] && echo set", "HOME"],
  ['x="$(ext)"; y=${x/a/b}; echo "$y"', "ext"],
  ['declare -A m; m["$HOME"]=1; echo ok', "HOME"],
  ['t=~; echo "${#t}"', "tilde"],
  ['p=$$; echo "$p"', "$$"],
];

function causeOf(name: string): string {
  if (name === "ext") return "command substitution runs the external command 'ext'";
  if (name === "tilde") return "the unquoted ~ expands to a home directory";
  if (name === "$$") return "$$ depends on the running shell";
  return `'${name}' is not set by the script; its value comes from the host or the environment`;
}

Deno.test("an unknown value that only flows gives bash's output under every environment", async () => {
  const runs = await bashRuns(FLOWS);
  FLOWS.forEach((code, i) => {
    const outputs = new Set(runs.map((r) => r[i]));
    assertEquals(outputs.size, 1, `${code}: bash's output depends on the environment`);
    const got = ours(code);
    assertEquals(got, { out: runs[0][i] }, code);
  });
});

Deno.test("an unknown value that decides is refused with its first cause", async () => {
  const runs = await bashRuns(DECISIONS.map(([code]) => code));
  DECISIONS.forEach(([code, name], i) => {
    const outputs = new Set(runs.map((r) => r[i]));
    assert(outputs.size > 1, `${code}: bash's output does not depend on the environment`);
    const got = ours(code);
    assert("reason" in got, `${code}: not refused (${JSON.stringify(got)})`);
    assert(got.reason.startsWith(causeOf(name)), `${code}: refused with '${got.reason}'`);
  });
});

Deno.test("an unknown value that could decide but happens not to is still refused", async () => {
  const runs = await bashRuns(CONSERVATIVE.map(([code]) => code));
  CONSERVATIVE.forEach(([code, name], i) => {
    assertEquals(new Set(runs.map((r) => r[i])).size, 1, code);
    const got = ours(code);
    assert("reason" in got && got.reason.startsWith(causeOf(name)), code);
  });
});

Deno.test("a refusal names the line where the unknown was born", () => {
  const got = ours('x="$HOME"\n\ny=("$x")\n[[ -n ${y[0]} ]] && echo y\n');
  assertEquals(got, {
    construct: "variable 'HOME'",
    reason: causeOf("HOME"),
    line: 1,
  });
  const sub = ours("a=1\nx=$(ext)\nb=2\ncase $x in 4) echo four ;; esac\n");
  assert("line" in sub && sub.line === 2 && sub.construct === "external command 'ext'");
});

Deno.test("set -u refuses an unknown value that may be unset, and the script cannot forge one", () => {
  const got = ours('set -u; x="$HOME"');
  assert("reason" in got && got.reason === causeOf("HOME"));
  // a marker written by the script is never taken for known text: at worst a refusal
  const forged = ours("x=$'\\uFDD0'0$'\\uFDD1'; echo \"${#x}\"");
  assert("reason" in forged, JSON.stringify(forged));
});
