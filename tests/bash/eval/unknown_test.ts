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
import {
  BARE_PROFILE,
  EvalLimit,
  EvalRefusal,
  Evaluator,
  type HostProfile,
  parseBash,
  ShellState,
} from "../../../src/bash/mod.ts";

const UNKNOWN = new Set(["HOME", "SOURCE_DATE_EPOCH", "BOLD"]);

const PROFILE: HostProfile = {
  ...BARE_PROFILE,
  host: "the host",
  hostVariable: (name) => (UNKNOWN.has(name) ? { kind: "unknown" } : { kind: "unset" }),
  localNames: (name) => !UNKNOWN.has(name),
};

type Ours = { out: string } | { construct: string; reason: string; line: number | undefined };

/** Runs `code` in the evaluator as a function body; the output must be known. */
function ours(code: string): Ours {
  const st = new ShellState(PROFILE);
  st.setGlobal("IFS", " \t\n");
  st.scopes.push({ vars: new Map(), positional: [] });
  const ev = new Evaluator(st, { profile: PROFILE });
  ev.funcDepth = 1;
  const buf: string[] = [];
  ev.out = { buf };
  try {
    ev.execStatements(parseBash(code).body);
    return { out: ev.unknowns.require(buf.join("")) };
  } catch (e) {
    if (e instanceof EvalRefusal) {
      return { construct: e.construct, reason: e.message, line: e.line };
    }
    if (e instanceof EvalLimit) throw e;
    throw e;
  }
}

/** Five environments: HOME, SOURCE_DATE_EPOCH, BOLD, ext's output and status. */
const ENVIRONMENTS: Record<string, string>[] = [
  { EXT_OUT: "", EXT_STATUS: "0" },
  { HOME: "", SOURCE_DATE_EPOCH: "0", BOLD: "", EXT_OUT: "4", EXT_STATUS: "0" },
  {
    HOME: "-n",
    SOURCE_DATE_EPOCH: "1700000000",
    BOLD: "\x1b[1m",
    EXT_OUT: "a b",
    EXT_STATUS: "1",
  },
  { HOME: "a b*", SOURCE_DATE_EPOCH: "x", BOLD: "-e", EXT_OUT: "-n", EXT_STATUS: "2" },
  { HOME: "/home/u", SOURCE_DATE_EPOCH: "12", BOLD: "\\t", EXT_OUT: "x\\n\\n", EXT_STATUS: "0" },
];

const SEP = "\u0001END\u0001";

/** Each snippet's output in bash under each environment: `[environment][snippet]`. */
async function bashRuns(snippets: readonly string[]): Promise<string[][]> {
  const bin = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${bin}/ext`,
    '#!/bin/sh\nprintf "%b" "$EXT_OUT"\nexit "$EXT_STATUS"\n',
    { mode: 0o755 },
  );
  const script = snippets.map((s) => `( f() {\n${s}\n}\nf ) 2>/dev/null; printf '${SEP}'`)
    .join("\n");
  try {
    return await Promise.all(ENVIRONMENTS.map(async (env) => {
      const { stdout } = await new Deno.Command("bash", {
        args: ["-c", script],
        env: { ...env, LC_ALL: "C", PATH: `${bin}:/usr/bin:/bin` },
        clearEnv: true,
        stdout: "piped",
        cwd: bin,
      }).output();
      return new TextDecoder().decode(stdout).split(SEP).slice(0, snippets.length);
    }));
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

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
