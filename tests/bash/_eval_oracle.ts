/**
 * Test helpers: run snippets through the static evaluator and through real
 * bash (the oracle), both inside a function with output captured, so the
 * results compare directly.
 *
 * @module
 */

import { parseBash } from "../../src/bash/parse/parser.ts";
import { Evaluator } from "../../src/bash/eval/evaluator.ts";
import { EvalLimit, EvalRefusal } from "../../src/bash/eval/refusal.ts";
import { newVariable, ShellState } from "../../src/bash/eval/state.ts";

/** The result of a snippet: its output, or the refusal. */
export type SnippetResult = { out: string } | { refused: string };

/** Runs `code` in the evaluator as the body of a function; returns output or refusal. */
export function evalSnippet(code: string): SnippetResult {
  const st = new ShellState();
  st.global.vars.set("IFS", newVariable({ kind: "scalar", value: " \t\n" }));
  st.global.vars.set("CARCH", newVariable({ kind: "scalar", value: "x86_64" }));
  st.scopes.push({ vars: new Map(), positional: ["PKGBUILD"], unknownPositional: true });
  st.scopes.push({ vars: new Map(), positional: [] });
  const ev = new Evaluator(st);
  ev.funcDepth = 1;
  const buf: string[] = [];
  ev.out = { buf };
  try {
    ev.execStatements(parseBash(code).body);
    // the result is the output and the variables: an unknown value in either is refused
    ev.unknowns.require(buf.join(""));
    for (const scope of ev.state.scopes) {
      for (const v of scope.vars.values()) ev.unknowns.requireValue(v.value);
    }
  } catch (e) {
    if (e instanceof EvalRefusal || e instanceof EvalLimit) return { refused: e.message };
    throw e;
  }
  return { out: buf.join("") };
}

const SEP = "\u0001END\u0001";

/** Runs every snippet in real bash (each in a subshell, inside a function); returns their outputs. */
export async function bashOutputs(snippets: readonly string[]): Promise<string[]> {
  const script = "CARCH=x86_64\n" +
    snippets.map((s) => `( f() {\n${s}\n}\nf ) 2>/dev/null; printf '${SEP}'`).join("\n");
  const cmd = new Deno.Command("bash", {
    args: ["-c", script],
    env: { LC_ALL: "C", PATH: "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
  });
  const { stdout } = await cmd.output();
  const parts = new TextDecoder().decode(stdout).split(SEP);
  return parts.slice(0, snippets.length);
}

/** Compares each snippet's evaluator output with bash's; returns the mismatches (refusals skipped). */
export async function compareWithBash(
  snippets: readonly string[],
): Promise<{ mismatches: string[]; refused: string[] }> {
  const expected = await bashOutputs(snippets);
  const mismatches: string[] = [];
  const refused: string[] = [];
  snippets.forEach((s, i) => {
    const got = evalSnippet(s);
    if ("refused" in got) refused.push(`${s} => ${got.refused}`);
    else if (got.out !== expected[i]) {
      mismatches.push(
        `${s}\n  bash: ${JSON.stringify(expected[i])}\n  ours: ${JSON.stringify(got.out)}`,
      );
    }
  });
  return { mismatches, refused };
}
