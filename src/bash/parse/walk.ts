/**
 * Generic traversals of the syntax tree: the statement lists of a function
 * (with how `declare -f` prints each), every command, and every word.
 *
 * @module
 */

import type {
  Command,
  FunctionDef,
  Redirect,
  Script,
  Statement,
  TestExpr,
  Word,
  WordPart,
} from "./ast.ts";

/**
 * How `declare -f` prints a statement list:
 * - `brace`: one statement per line, the last without a `;` (`{ }`, function bodies, case items);
 * - `semicolon`: one per line, every one followed by `;` (`then`/`else`/loop bodies);
 * - `subshell`: the first on the `(` line, the last followed by ` )`;
 * - `inline`: on the line of its keyword (`if`/`while` conditions).
 */
export type ListKind = "brace" | "semicolon" | "subshell" | "inline";

/** Calls `onList` for every statement list of the function body, outermost first. */
export function walkFunctionBody(
  fn: FunctionDef,
  onList: (list: Statement[], kind: ListKind) => void,
): void {
  walkCommandLists(fn.body, onList);
}

function walkList(
  list: Statement[],
  kind: ListKind,
  onList: (l: Statement[], k: ListKind) => void,
): void {
  onList(list, kind);
  for (const st of list) {
    for (const p of [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)]) {
      for (const cmd of p.commands) walkCommandLists(cmd, onList);
    }
  }
}

function walkCommandLists(cmd: Command, onList: (l: Statement[], k: ListKind) => void): void {
  switch (cmd.type) {
    case "If":
      for (const cl of cmd.clauses) {
        walkList(cl.condition, "inline", onList);
        walkList(cl.body, "semicolon", onList);
      }
      if (cmd.elseBody) walkList(cmd.elseBody, "semicolon", onList);
      break;
    case "While":
      walkList(cmd.condition, "inline", onList);
      walkList(cmd.body, "semicolon", onList);
      break;
    case "For":
    case "Select":
    case "ArithFor":
      walkList(cmd.body, "semicolon", onList);
      break;
    case "Case":
      for (const item of cmd.items) walkList(item.body, "brace", onList);
      break;
    case "BraceGroup":
      walkList(cmd.body, "brace", onList);
      break;
    case "Subshell":
      walkList(cmd.body, "subshell", onList);
      break;
    case "Coproc":
    case "FunctionDef":
      walkCommandLists(cmd.body, onList);
      break;
  }
}

/**
 * Calls `cb` for every command of `script`, recursing into compound commands
 * and functions; `nested` is false for the script's own top-level commands.
 */
export function forEachCommand(script: Script, cb: (cmd: Command, nested: boolean) => void): void {
  const visitList = (list: Statement[], nested: boolean) => {
    for (const st of list) {
      for (const p of [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)]) {
        for (const cmd of p.commands) cb(cmd, nested);
      }
    }
  };
  visitList(script.body, false);
  for (const st of script.body) {
    for (const p of [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)]) {
      for (const cmd of p.commands) walkCommandLists(cmd, (list) => visitList(list, true));
    }
  }
}

/**
 * Calls `cb` for every word written directly in `cmd` and its nested
 * commands (not inside substitutions); `heredocText` is set for heredoc bodies.
 */
export function forEachWord(cmd: Command, cb: (word: Word, heredocText?: string) => void): void {
  const list = (l: Statement[]) => listWords(l, cb);
  const redirects = (rs: Redirect[]) => redirectWords(rs, cb);
  switch (cmd.type) {
    case "SimpleCommand":
      for (const a of cmd.assignments) assignmentWords(a.value, cb);
      for (const w of cmd.words) {
        if (w.type === "Word") cb(w);
        else assignmentWords(w.value, cb);
      }
      redirects(cmd.redirects);
      return;
    case "If":
      for (const cl of cmd.clauses) {
        list(cl.condition);
        list(cl.body);
      }
      if (cmd.elseBody) list(cmd.elseBody);
      break;
    case "While":
      list(cmd.condition);
      list(cmd.body);
      break;
    case "For":
    case "Select":
      cmd.words?.forEach((w) => cb(w));
      list(cmd.body);
      break;
    case "ArithFor":
      for (const w of [cmd.init, cmd.test, cmd.update]) if (w) cb(w);
      list(cmd.body);
      break;
    case "Case":
      cb(cmd.word);
      for (const item of cmd.items) {
        item.patterns.forEach((w) => cb(w));
        list(item.body);
      }
      break;
    case "BraceGroup":
    case "Subshell":
      list(cmd.body);
      break;
    case "Test":
      testWords(cmd.expr, cb);
      break;
    case "Arith":
      cb(cmd.expr);
      break;
    case "Coproc":
    case "FunctionDef":
      forEachWord(cmd.body, cb);
      return;
  }
  redirects(cmd.redirects);
}

function redirectWords(rs: Redirect[], cb: (word: Word, heredocText?: string) => void): void {
  for (const r of rs) {
    cb(r.target);
    if (r.heredoc) cb(r.heredoc.body, r.heredoc.text);
  }
}

function listWords(l: Statement[], cb: (word: Word, heredocText?: string) => void): void {
  for (const st of l) {
    for (const p of [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)]) {
      for (const c of p.commands) forEachWord(c, cb);
    }
  }
}

function assignmentWords(
  value: Word | { type: "ArrayLiteral"; elements: (Word | { value: Word })[] },
  cb: (word: Word, heredocText?: string) => void,
): void {
  if (value.type === "Word") cb(value);
  else {for (const e of value.elements) {
      cb("type" in e && e.type === "Word" ? e : (e as { value: Word }).value);
    }}
}

function testWords(e: TestExpr, cb: (word: Word, heredocText?: string) => void): void {
  switch (e.type) {
    case "TestUnary":
      cb(e.operand);
      break;
    case "TestBinary":
      cb(e.left);
      cb(e.right);
      break;
    case "TestWord":
      cb(e.word);
      break;
    case "TestNot":
      testWords(e.expr, cb);
      break;
    case "TestAnd":
    case "TestOr":
      testWords(e.left, cb);
      testWords(e.right, cb);
      break;
  }
}

/** Calls `cb` for every part of `word`, recursing into `${...}` operator words and subscripts. */
export function forEachPart(word: Word, cb: (part: WordPart) => void): void {
  for (const p of word.parts) {
    cb(p);
    if (p.type === "param") {
      if (p.index?.type === "expr") forEachPart(p.index.word, cb);
      const op = p.op;
      if (!op) continue;
      if (op.kind === "default") forEachPart(op.word, cb);
      else if (op.kind === "trim") forEachPart(op.pattern, cb);
      else if (op.kind === "replace") {
        forEachPart(op.pattern, cb);
        if (op.replacement) forEachPart(op.replacement, cb);
      } else if (op.kind === "case" && op.pattern) forEachPart(op.pattern, cb);
      else if (op.kind === "substring") {
        forEachPart(op.offset, cb);
        if (op.length) forEachPart(op.length, cb);
      }
    } else if (p.type === "arith") forEachPart(p.expr, cb);
  }
}
