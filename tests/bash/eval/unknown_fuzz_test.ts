/**
 * Randomized differential test of unknown values (seeded, reproducible):
 * snippets mixing unknown sources (`$HOME`, `$(ext)`, `~`, ...) with
 * assignments, arrays, functions and deciding operations run in real bash
 * under five environments. Whenever the evaluator gives a result, it must be
 * bash's under every environment; otherwise it must refuse. A share of the
 * snippets must be accepted, so the property is not met by refusing all.
 */

import { assert } from "../../_assert.ts";
import { bashRuns, ENVIRONMENTS, ours } from "./_unknown_oracle.ts";
import { prng } from "../../_prng.ts";

const ATOMS = [
  '"$HOME"',
  "$HOME",
  '"$(ext)"',
  "$(ext)",
  '"${BOLD}"',
  "~",
  '"$SOURCE_DATE_EPOCH"',
  "k",
  '"a b"',
  '""',
  '"$v1"',
  "$v2",
  '"${a1[@]}"',
  '"${a2[0]}"',
  '"$r"',
];

/** Statements: `V` a scalar name, `A` an array name, `X` an atom. */
const STATEMENTS = [
  "V=XX",
  'V="XpX"',
  "A=(X X)",
  "A+=(X)",
  "export V=X",
  "local V=X",
  'h "$V" X',
  "V=$(h X; echo n)",
  "[[ -n $V ]] && echo y",
  'echo "${#V}"',
  'echo "${V:-d}"',
  "case $V in a*) echo A ;; esac",
  'echo "${#A[@]}"',
  'echo "${A[1]}"',
  'echo "$V"',
  'for w in ${A[@]}; do echo "[$w]"; done',
  "V=$(ext) && echo ok",
  'echo "$?"',
  "printf '%s|' X >/dev/null",
  'echo "k${#r}"',
  "V=${V#?}",
  "unset V",
  'printf -v V "%s" X',
  "A=($V)",
  "V+=X",
  "declare -g V=X",
  "(( ${#V} > 2 )) && echo long",
  'h "${A[@]}"; echo "${r#*-}"',
  'echo "${A[*]}"',
  "while [[ $v1 ]]; do v1=; done",
  "local -a A=(X)",
];

function snippet(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lines = ['h() { r="$1-$#"; }'];
  const n = 2 + Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) {
    lines.push(
      pick(STATEMENTS)
        .replace(/V/g, () => pick(["v1", "v2"]))
        .replace(/A/g, () => pick(["a1", "a2"]))
        .replace(/X/g, () => pick(ATOMS)),
    );
  }
  return lines.join("\n");
}

Deno.test("a result the evaluator gives with unknown values is bash's under every environment", async () => {
  const rand = prng(17);
  const snippets = Array.from({ length: 400 }, () => snippet(rand));
  const runs = await bashRuns(snippets);
  let accepted = 0;
  snippets.forEach((code, i) => {
    const got = ours(code);
    if (!("out" in got)) return;
    accepted++;
    ENVIRONMENTS.forEach((env, e) => {
      assert(
        got.out === runs[e][i],
        `${code}\n  env ${JSON.stringify(env)}\n  bash: ${JSON.stringify(runs[e][i])}\n` +
          `  ours: ${JSON.stringify(got.out)}`,
      );
    });
  });
  assert(accepted >= 200, `only ${accepted} of 400 snippets accepted`);
});
