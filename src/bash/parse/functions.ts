/**
 * Helpers over the syntax tree that the PKGBUILD layer needs: the top-level
 * function definitions, and makepkg's detection of per-package overrides in
 * `package_NAME()` bodies.
 *
 * @module
 */

import type { Assignment, FunctionDef, Script, Statement, Word } from "./ast.ts";
import {
  forEachCommand,
  forEachPart,
  forEachWord,
  type ListKind,
  walkFunctionBody,
} from "./walk.ts";

/** Returns the function definitions that are top-level statements of `script`, in source order. */
export function topLevelFunctions(script: Script): FunctionDef[] {
  const out: FunctionDef[] = [];
  for (const st of script.body) {
    const pipes = [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)];
    for (const p of pipes) {
      for (const cmd of p.commands) if (cmd.type === "FunctionDef") out.push(cmd);
    }
  }
  return out;
}

/** A line of `declare -f` output that makepkg would match but that cannot be emulated. */
export interface UnsupportedOverride {
  /** The source line involved. */
  line: number;
  /** Why it cannot be emulated. */
  reason: string;
}

/** The result of {@link findOverrideAssignments}. */
export interface OverrideScan {
  /** The matching assignments, in the order makepkg evaluates them. */
  assignments: Assignment[];
  /** Matches makepkg would evaluate in a way a static evaluator cannot reproduce. */
  unsupported: UnsupportedOverride[];
}

/** The regular expression makepkg greps `declare -f` lines with (`[[:space:]]` as a class). */
export function overrideLineRegex(attr: string, kind: "array" | "string"): RegExp {
  const escaped = attr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^[ \\t\\v\\f\\r]* ${escaped}\\+?=${kind === "array" ? "\\(" : "[^(]"}`);
}

/**
 * Emulates makepkg's override detection (`extract_function_variable`):
 * makepkg prints the function with `declare -f`, greps each line for
 * `^[[:space:]]* ATTR\+?=\(` (arrays) or `^[[:space:]]* ATTR\+?=[^(]`
 * (strings), and evals every matching line in order.
 *
 * A match is an assignment to `attr` that starts a statement printed on its
 * own line, at any depth of the body (inside `if`, loops, `case`, `{ }`,
 * and `( )` except its first statement), but not after `&&`, `||`, `|`,
 * `!`, `&` or a declaration builtin. An empty string value (`pkgdesc=`)
 * matches only when bash prints a `;` after it. Matches whose line would
 * hold more than the assignment, multi-line values, heredoc or multi-line
 * string lines that match, and assignments inside command substitutions
 * are returned as `unsupported`.
 */
export function findOverrideAssignments(
  fn: FunctionDef,
  attr: string,
  kind: "array" | "string",
): OverrideScan {
  const scan: OverrideScan = { assignments: [], unsupported: [] };
  const re = overrideLineRegex(attr, kind);
  walkFunctionBody(fn, (list, listKind) => checkList(list, listKind, attr, kind, scan));
  forEachWord(fn.body, (word, heredocText) => {
    checkSubstitutions(word, attr, scan);
    if (heredocText !== undefined) checkRawLines("\n" + heredocText, word.pos.line - 1, re, scan);
    else checkRawLines(verbatimSource(word, fn), word.pos.line, re, scan);
  });
  scan.unsupported.sort((a, b) => a.line - b.line);
  return scan;
}

function checkList(
  list: Statement[],
  listKind: ListKind,
  attr: string,
  kind: "array" | "string",
  scan: OverrideScan,
): void {
  if (listKind === "inline") return;
  for (let i = 0; i < list.length; i++) {
    const st = list[i];
    if (listKind === "subshell" && i === 0) continue;
    if (i > 0 && list[i - 1].background) continue;
    const last = i === list.length - 1;
    const follow = !last
      ? (st.background ? " &" : ";")
      : listKind === "semicolon"
      ? ";"
      : listKind === "subshell"
      ? " )"
      : st.background
      ? " &"
      : "";
    checkStatement(st, follow, attr, kind, scan);
  }
}

function checkStatement(
  st: Statement,
  follow: string,
  attr: string,
  kind: "array" | "string",
  scan: OverrideScan,
): void {
  const pipeline = st.andOr.first;
  if (pipeline.negated || pipeline.timed) return;
  const cmd = pipeline.commands[0];
  if (cmd.type !== "SimpleCommand" || cmd.assignments.length === 0) return;
  const a = cmd.assignments[0];
  if (a.name !== attr || a.index) return;
  const extra = cmd.assignments.length > 1 || cmd.words.length > 0 || cmd.redirects.length > 0 ||
    pipeline.commands.length > 1 || st.andOr.rest.length > 0;
  if (kind === "array" ? a.value.type !== "ArrayLiteral" : a.value.type !== "Word") return;
  if (kind === "string" && a.value.type === "Word" && a.value.end === a.value.offset) {
    if (!extra && (follow === "" || follow.startsWith("("))) return;
  }
  const problem = extra || follow === " &"
    ? "the line holds more than the assignment"
    : follow === " )"
    ? "the assignment is the last command of a multi-line subshell"
    : spansLines(a)
    ? "the value spans several lines"
    : "";
  if (problem) {
    scan.unsupported.push({ line: a.pos.line, reason: `'${attr}' override: ${problem}` });
  } else scan.assignments.push(a);
}

function spansLines(a: Assignment): boolean {
  const words: Word[] = a.value.type === "Word"
    ? [a.value]
    : a.value.elements.map((e) => (e.type === "Word" ? e : e.value));
  return words.some((w) => w.end > w.offset && hasNewlineInside(w));
}

function hasNewlineInside(w: Word): boolean {
  return w.parts.some((p) =>
    (p.type === "literal" && p.value.includes("\n")) ||
    ((p.type === "commandSub" || p.type === "processSub") && p.source.includes("\n"))
  );
}

function checkSubstitutions(word: Word, attr: string, scan: OverrideScan): void {
  forEachPart(word, (p) => {
    if (p.type !== "commandSub" && p.type !== "processSub") return;
    // Bash re-prints `$(...)`: its own statements start at column 0 (no
    // match); statements of nested compound commands are indented.
    forEachCommand(p.script, (cmd, nested) => {
      if (cmd.type !== "SimpleCommand" || (!nested && p.type === "commandSub" && !p.backtick)) {
        return;
      }
      const hit = cmd.assignments.find((a) => a.name === attr);
      if (hit) {
        scan.unsupported.push({
          line: hit.pos.line,
          reason: `'${attr}' is assigned inside a command substitution`,
        });
      }
    });
  });
}

/** The word's source with `$(...)` bodies (which bash re-prints) flattened to one line. */
function verbatimSource(word: Word, fn: FunctionDef): string {
  let source = fn.source.slice(word.offset - fn.offset, word.end - fn.offset);
  forEachPart(word, (p) => {
    if ((p.type === "commandSub" && !p.backtick) || p.type === "processSub") {
      source = source.replace(p.source, p.source.replace(/\n/g, " "));
    }
  });
  return source;
}

function checkRawLines(source: string, firstLine: number, re: RegExp, scan: OverrideScan): void {
  const lines = source.split("\n");
  for (let k = 1; k < lines.length; k++) {
    if (re.test(lines[k])) {
      scan.unsupported.push({
        line: firstLine + k,
        reason: "a heredoc or multi-line string line looks like an override assignment",
      });
    }
  }
}
