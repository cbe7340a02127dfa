/**
 * The `eval` builtin: joins its arguments with single spaces, parses the
 * string and runs it in the current scope, as bash does. Assignments,
 * function definitions, `local`, `return`, `break` and `continue` act as if
 * written in place of the `eval` command. Every position in the eval'd code
 * is the `eval` command's line, so refusals and limits raised there (also
 * later, inside functions the string defined) name that line of the
 * PKGBUILD.
 *
 * @module
 */

import type { Script } from "../parse/ast.ts";
import { BashLimitError, BashSyntaxError } from "../errors.ts";
import type { Evaluator } from "../eval/evaluator.ts";
import { EvalLimit, refuse } from "../eval/refusal.ts";
import { parseBash } from "../parse/parser.ts";

/** bash's status for a syntax error in the eval'd string, and for an invalid option. */
const USAGE_STATUS = 2;

/** Runs `eval ARGS...`; returns the status of the last command run (0 when none ran). */
export function evalBuiltin(ev: Evaluator, args: string[]): number {
  let words = args;
  if (words[0] === "--") words = words.slice(1);
  else if (words[0] === "--help") refuse("eval --help", "eval --help prints bash's help text");
  else if (/^-./.test(words[0] ?? "")) return USAGE_STATUS;
  const text = ev.budget.str(words.join(" "));
  ev.budget.step(1 + (text.length >> 6));
  const line = ev.line;
  const { script, syntaxError } = parseEvalText(ev, text);
  placeAtLine(script, line);
  ev.enter();
  try {
    const status = ev.execStatements(script.body);
    return syntaxError ? USAGE_STATUS : status;
  } finally {
    ev.depth--;
    ev.line = line;
  }
}

/**
 * Parses the eval'd text. bash parses and runs it one line-terminated list
 * at a time, so on a syntax error the lists on the lines before the failing
 * one still run: the result is then the longest prefix of whole lines
 * before the error that parses, and `syntaxError` is set.
 */
function parseEvalText(ev: Evaluator, text: string): { script: Script; syntaxError: boolean } {
  try {
    return { script: parseEvalString(ev, text), syntaxError: false };
  } catch (e) {
    if (!(e instanceof BashSyntaxError)) throw e;
    if (text.includes("=(")) {
      // bash leaves a failed compound array assignment by a jump that ends
      // a subshell but not the top level: no one status to mirror
      refuse(
        "eval with a syntax error",
        `the string given to eval has a syntax error (${e.message}) and an array assignment, ` +
          "where bash's recovery depends on the context",
      );
    }
    const lines = text.split("\n");
    for (let m = Math.min(e.line - 1, lines.length); m > 0; m--) {
      if (lines[m - 1].endsWith("\\")) continue;
      const prefix = lines.slice(0, m).join("\n") + "\n";
      ev.budget.step(1 + (prefix.length >> 6));
      try {
        return { script: parseEvalString(ev, prefix), syntaxError: true };
      } catch (e2) {
        if (!(e2 instanceof BashSyntaxError)) throw e2;
      }
    }
    const empty: Script = {
      type: "Script",
      body: [],
      pos: { line: 1, column: 1 },
      offset: 0,
      end: 0,
    };
    return { script: empty, syntaxError: true };
  }
}

function parseEvalString(ev: Evaluator, text: string): Script {
  try {
    return parseBash(text, {
      extglob: ev.state.options.extglob,
      rejectCarriageReturn: false,
      maxLength: ev.budget.limits.maxStringLength,
    });
  } catch (e) {
    if (e instanceof BashLimitError) {
      throw new EvalLimit(
        "eval",
        `the string given to eval is too complex to parse (${e.message})`,
      );
    }
    throw e;
  }
}

/** Sets the line of every position in `script` to `line`. */
function placeAtLine(script: Script, line: number): void {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "pos" && typeof value === "object" && value !== null && "line" in value) {
        (value as { line: number }).line = line;
      } else visit(value);
    }
  };
  visit(script);
}
