/**
 * Simple commands: prefix assignments (and array literals), words,
 * redirections, declaration-builtin arguments, and `name() body` function
 * definitions.
 *
 * @module
 */

import {
  type ArrayLiteral,
  type Assignment,
  DECLARATION_BUILTINS,
  type FunctionDef,
  type KeyedElement,
  type Redirect,
  type RedirectOp,
  type SimpleCommand,
  type Word,
} from "./ast.ts";
import { type Cursor, skipSpace } from "./_lex_cursor.ts";
import { readIndex } from "./_dollar.ts";
import { readWord } from "./_words.ts";
import { registerHeredoc } from "./_heredoc.ts";
import { skipLinebreaks } from "./_commands.ts";
import { parseFunctionBody } from "./_compound.ts";

const REDIRECT_RE = /(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(&>>|&>|<<<|<<-|<<|<>|<&|>>|>\||>&|<|>)/y;

/** Whether a redirection starts at the cursor. */
export function redirectAt(c: Cursor): boolean {
  c.skipContinuations();
  const first = c.text.charCodeAt(c.i);
  // Only digits, `{`, `<`, `>` and `&` can start a redirection.
  if (
    !((first >= 48 && first <= 57) || first === 123 || first === 60 || first === 62 || first === 38)
  ) {
    return false;
  }
  REDIRECT_RE.lastIndex = c.i;
  const m = REDIRECT_RE.exec(c.text);
  if (!m) return false;
  // `<(` and `>(` are process substitutions, i.e. words.
  if (!m[1] && (m[2] === "<" || m[2] === ">") && c.text[c.i + 1] === "(") return false;
  return true;
}

/** Parses the redirection at the cursor (see {@link redirectAt}). */
export function parseRedirect(c: Cursor): Redirect {
  const pos = c.pos();
  REDIRECT_RE.lastIndex = c.i;
  const m = REDIRECT_RE.exec(c.text)!;
  c.i += m[0].length;
  const op = m[2] as RedirectOp;
  const redirect: Redirect = { type: "Redirect", op, target: undefined as unknown as Word, pos };
  if (m[1]?.startsWith("{")) redirect.fdVar = m[1].slice(1, -1);
  else if (m[1]) redirect.fd = Number(m[1]);
  skipSpace(c);
  const start = c.i;
  const target = readWord(c);
  if (target === null) c.unexpected(`a word after '${op}'`);
  redirect.target = target;
  c.lastEnd = c.i;
  if (op === "<<" || op === "<<-") {
    redirect.heredoc = registerHeredoc(c, target, c.text.slice(start, c.i), op === "<<-");
  }
  return redirect;
}

/** Parses trailing redirections (after a compound command) into `out`. */
export function parseRedirects(c: Cursor, out: Redirect[]): void {
  for (;;) {
    skipSpace(c);
    if (!redirectAt(c)) return;
    out.push(parseRedirect(c));
  }
}

const ASSIGN_HEAD = /([A-Za-z_][A-Za-z0-9_]*)(\[)?/y;

/** If an assignment word starts at the cursor, returns its name and `[` flag. */
function assignmentAt(c: Cursor): boolean {
  c.skipContinuations();
  const t = c.text;
  ASSIGN_HEAD.lastIndex = c.i;
  const m = ASSIGN_HEAD.exec(t);
  if (!m) return false;
  let j = c.i + m[1].length;
  if (m[2]) {
    j = matchBracket(t, j);
    if (j === -1) return false;
  }
  if (t[j] === "+") j++;
  return t[j] === "=";
}

/** Index just past the `]` matching the `[` at `j`, or -1 (stops at a newline). */
function matchBracket(t: string, j: number): number {
  let depth = 0;
  for (; j < t.length; j++) {
    const ch = t[j];
    if (ch === "\n") return -1;
    if (ch === "\\") j++;
    else if (ch === "'" || ch === '"') {
      const close = t.indexOf(ch, j + 1);
      if (close === -1) return -1;
      j = close;
    } else if (ch === "[") depth++;
    else if (ch === "]" && --depth === 0) return j + 1;
  }
  return -1;
}

/** Parses the assignment at the cursor (see {@link assignmentAt}). */
function parseAssignment(c: Cursor): Assignment {
  const pos = c.pos();
  const start = c.i;
  ASSIGN_HEAD.lastIndex = c.i;
  const name = ASSIGN_HEAD.exec(c.text)![1];
  c.i += name.length;
  const index = c.text[c.i] === "[" ? readIndex(c) : undefined;
  const append = c.text[c.i] === "+";
  c.i += append ? 2 : 1;
  let value: Word | ArrayLiteral;
  if (c.text[c.i] === "(") value = parseArrayLiteral(c);
  else {
    value = readWord(c, "word", { assignment: true }) ?? {
      type: "Word",
      parts: [],
      pos: c.pos(),
      offset: c.offset(),
      end: c.offset(),
    };
  }
  c.lastEnd = c.i;
  const a: Assignment = {
    type: "Assignment",
    name,
    append,
    value,
    pos,
    offset: c.offset(start),
    end: c.offset(),
  };
  if (index) a.index = index;
  return a;
}

function parseArrayLiteral(c: Cursor): ArrayLiteral {
  const pos = c.pos();
  c.next();
  c.enter();
  const elements: (Word | KeyedElement)[] = [];
  for (;;) {
    skipLinebreaks(c);
    const ch = c.peek();
    if (ch === ")") break;
    if (ch === "[" && keyedAt(c)) {
      const epos = c.pos();
      const key = readIndex(c);
      const append = c.text[c.i] === "+";
      c.i += append ? 2 : 1;
      const value = readWord(c, "word", { assignment: true }) ??
        { type: "Word" as const, parts: [], pos: c.pos(), offset: c.offset(), end: c.offset() };
      elements.push({ type: "KeyedElement", key, append, value, pos: epos });
      continue;
    }
    const w = readWord(c);
    if (w === null) c.unexpected("')' to close the array");
    elements.push(w);
  }
  c.next();
  c.leave();
  return { type: "ArrayLiteral", elements, pos };
}

function keyedAt(c: Cursor): boolean {
  const j = matchBracket(c.text, c.i);
  if (j === -1) return false;
  const t = c.text;
  return t[j] === "=" || (t[j] === "+" && t[j + 1] === "=");
}

function isDeclaration(w: Word): boolean {
  return w.parts.length === 1 && w.parts[0].type === "literal" && !w.parts[0].quoted &&
    DECLARATION_BUILTINS.includes(w.parts[0].value);
}

/** Parses a simple command, or a `name() body` function definition. */
export function parseSimpleCommand(c: Cursor): SimpleCommand | FunctionDef {
  const cmd: SimpleCommand = {
    type: "SimpleCommand",
    assignments: [],
    words: [],
    redirects: [],
    pos: c.pos(),
  };
  let declaration = false;
  for (;;) {
    skipSpace(c);
    const ch = c.peek();
    if (ch === "" || ch === "\n" || ch === ";" || ch === "|" || ch === ")") break;
    if (ch === "&" && c.peekAt(1) !== ">") break;
    if (redirectAt(c)) {
      cmd.redirects.push(parseRedirect(c));
      continue;
    }
    if (ch === "(") {
      const only = cmd.words.length === 1 && cmd.assignments.length === 0 &&
        cmd.redirects.length === 0;
      if (only && cmd.words[0].type === "Word") return parseFunctionDef(c, cmd.words[0]);
      c.unexpected();
    }
    if ((cmd.words.length === 0 || declaration) && assignmentAt(c)) {
      const a = parseAssignment(c);
      if (cmd.words.length === 0) cmd.assignments.push(a);
      else cmd.words.push(a);
      continue;
    }
    const w = readWord(c);
    if (w === null) c.unexpected();
    c.lastEnd = c.i;
    cmd.words.push(w);
    if (cmd.words.length === 1) declaration = isDeclaration(w);
  }
  if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) {
    c.unexpected();
  }
  return cmd;
}

function parseFunctionDef(c: Cursor, nameWord: Word): FunctionDef {
  c.next();
  skipSpace(c);
  if (c.peek() !== ")") c.unexpected("')' after '('");
  c.next();
  const start = nameWord.offset - c.base.offset;
  const name = c.text.slice(start, nameWord.end - c.base.offset);
  return parseFunctionBody(c, name, start, nameWord.pos, false);
}
