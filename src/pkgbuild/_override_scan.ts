/**
 * makepkg's override detection (`extract_function_variable`), on the
 * syntax tree: makepkg prints a function with `declare -f`, greps each line
 * for `^[[:space:]]* NAME\+?=\(` (arrays) or `^[[:space:]]* NAME\+?=[^(]`
 * (strings) and evals every matching line in order. The one scanner serves
 * `parsePkgbuild` (which evaluates the matches of each attribute) and the
 * lint rules (which ask which names a package function sets).
 *
 * A match is an assignment that starts a statement printed on its own line,
 * at any depth of the body (inside `if`, loops, `case`, `{ }`, and `( )`
 * except its first statement), but not after `&&`, `||`, `|`, `!`, `&` or a
 * declaration builtin (`package() { true && depends=foo; }` sets nothing
 * makepkg sees). An empty string value (`pkgdesc=`) matches only when bash
 * prints a `;` after it. Matches whose line would hold more than the
 * assignment, multi-line values, heredoc or multi-line string lines that
 * match, and assignments inside command substitutions are `unsupported`.
 *
 * @module
 */

import {
  type Assignment,
  forEachCommand,
  forEachPart,
  forEachWord,
  type FunctionDef,
  type ListKind,
  type Statement,
  walkFunctionBody,
  type Word,
} from "../bash/mod.ts";

/** One line of `declare -f` output that makepkg's grep sees as an assignment. */
export interface OverrideLine {
  /** The variable name. */
  readonly name: string;
  /** True for `name+=...`. */
  readonly append: boolean;
  /** `array` for `name=(...)`, `string` for `name=value`, `empty` for `name=` that neither form matches. */
  readonly form: "array" | "string" | "empty";
  /** The 1-based source line. */
  readonly line: number;
  /** The assignment, when the line is one the evaluator can mirror. */
  readonly assignment?: Assignment;
  /** Why makepkg's eval of the line cannot be mirrored, when it cannot. */
  readonly unsupported?: string;
}

/** makepkg's grep pattern for any name: name, `+`, and the character after `=`. */
const ANY_ASSIGNMENT = /^[ \t\v\f\r]* ([A-Za-z_][A-Za-z0-9_]*)(\+?)=(.?)/;

/** Scans already made, per function definition (the tree is not changed after parsing). */
const scanned = new WeakMap<FunctionDef, readonly OverrideLine[]>();

/** Every line of `fn` makepkg's override grep matches (or nearly: `empty`), in source order. */
export function overrideLines(fn: FunctionDef): readonly OverrideLine[] {
  let lines = scanned.get(fn);
  if (lines === undefined) {
    lines = scanLines(fn);
    scanned.set(fn, lines);
  }
  return lines;
}

function scanLines(fn: FunctionDef): OverrideLine[] {
  const lines: OverrideLine[] = [];
  walkFunctionBody(fn, (list, listKind) => checkList(list, listKind, lines));
  forEachWord(fn.body, (word, heredocText) => {
    checkSubstitutions(word, lines);
    if (heredocText !== undefined) checkRawLines("\n" + heredocText, word.pos.line - 1, lines);
    else checkRawLines(verbatimSource(word, fn), word.pos.line, lines);
  });
  return lines.sort((a, b) => a.line - b.line);
}

/** The result of {@link findOverrideAssignments}. */
export interface OverrideScan {
  /** The matching assignments, in the order makepkg evaluates them. */
  readonly assignments: Assignment[];
  /** Matches makepkg would evaluate in a way a static evaluator cannot reproduce. */
  readonly unsupported: { readonly line: number; readonly reason: string }[];
}

/** The lines of `fn` that override `attr` in makepkg's `kind` form. */
export function findOverrideAssignments(
  fn: FunctionDef,
  attr: string,
  kind: "array" | "string",
): OverrideScan {
  const scan: OverrideScan = { assignments: [], unsupported: [] };
  for (const l of overrideLines(fn)) {
    if (l.name !== attr || l.form !== kind) continue;
    if (l.unsupported !== undefined) scan.unsupported.push({ line: l.line, reason: l.unsupported });
    else if (l.assignment) scan.assignments.push(l.assignment);
  }
  return scan;
}

function checkList(list: Statement[], listKind: ListKind, lines: OverrideLine[]): void {
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
    checkStatement(st, follow, lines);
  }
}

function checkStatement(st: Statement, follow: string, lines: OverrideLine[]): void {
  const pipeline = st.andOr.first;
  if (pipeline.negated || pipeline.timed) return;
  const cmd = pipeline.commands[0];
  if (cmd.type !== "SimpleCommand" || cmd.assignments.length === 0) return;
  const a = cmd.assignments[0];
  if (a.index) return;
  const extra = cmd.assignments.length > 1 || cmd.words.length > 0 || cmd.redirects.length > 0 ||
    pipeline.commands.length > 1 || st.andOr.rest.length > 0;
  const base = { name: a.name, append: a.append, line: a.pos.line };
  if (a.value.type === "ArrayLiteral") {
    lines.push({ ...base, form: "array", ...mirror(a, extra, follow) });
    return;
  }
  if (a.value.end === a.value.offset && !extra && (follow === "" || follow.startsWith("("))) {
    lines.push({ ...base, form: "empty" });
    return;
  }
  lines.push({ ...base, form: "string", ...mirror(a, extra, follow) });
}

function mirror(
  a: Assignment,
  extra: boolean,
  follow: string,
): { assignment: Assignment } | { unsupported: string } {
  const problem = extra || follow === " &"
    ? "the line holds more than the assignment"
    : follow === " )"
    ? "the assignment is the last command of a multi-line subshell"
    : spansLines(a)
    ? "the value spans several lines"
    : "";
  return problem ? { unsupported: `'${a.name}' override: ${problem}` } : { assignment: a };
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

function checkSubstitutions(word: Word, lines: OverrideLine[]): void {
  forEachPart(word, (p) => {
    if (p.type !== "commandSub" && p.type !== "processSub") return;
    // Bash re-prints `$(...)`: its own statements start at column 0 (no
    // match); statements of nested compound commands are indented.
    forEachCommand(p.script, (cmd, nested) => {
      if (cmd.type !== "SimpleCommand" || (!nested && p.type === "commandSub" && !p.backtick)) {
        return;
      }
      for (const a of cmd.assignments) {
        const form = a.value.type === "ArrayLiteral" ? "array" : "string";
        lines.push({
          name: a.name,
          append: a.append,
          form,
          line: a.pos.line,
          unsupported: `'${a.name}' is assigned inside a command substitution`,
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

function checkRawLines(source: string, firstLine: number, lines: OverrideLine[]): void {
  const raw = source.split("\n");
  for (let k = 1; k < raw.length; k++) {
    const m = ANY_ASSIGNMENT.exec(raw[k]);
    if (!m) continue;
    lines.push({
      name: m[1],
      append: m[2] === "+",
      form: m[3] === "(" ? "array" : m[3] === "" ? "empty" : "string",
      line: firstLine + k,
      unsupported: "a heredoc or multi-line string line looks like an override assignment",
    });
  }
}
