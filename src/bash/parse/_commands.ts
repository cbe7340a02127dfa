/**
 * Lists, statements, and-or lists, pipelines and the dispatch to simple or
 * compound commands.
 *
 * @module
 */

import type { AndOr, Command, Pipeline, Script, SimpleCommand, Statement } from "./ast.ts";
import { Cursor, type CursorBase, isMeta, skipSpace } from "./_lex_cursor.ts";
import { consumeNewline, finishPendingAtEof } from "./_heredoc.ts";
import { parseSimpleCommand } from "./_simple.ts";
import { parseCompound } from "./_compound.ts";

/** Reserved words that end a compound list. */
const CLOSERS = new Set(["then", "else", "elif", "fi", "do", "done", "esac", "}"]);

/** All reserved words recognized in command position. */
const RESERVED = new Set([
  ...CLOSERS,
  "if",
  "case",
  "for",
  "select",
  "while",
  "until",
  "function",
  "time",
  "{",
  "!",
  "[[",
  "coproc",
]);

/**
 * The plain word at the cursor if it is made of ordinary characters only, is
 * at most 8 characters long (every reserved word and operator it is compared
 * with is) and is followed by a metacharacter or end of input; "" otherwise.
 */
export function plainWordAt(c: Cursor): string {
  c.skipContinuations();
  const t = c.text;
  let j = c.i;
  const stop = Math.min(t.length, c.i + 9);
  while (j < stop && !isWordStop(t.charCodeAt(j))) j++;
  if (j === c.i || j - c.i > 8) return "";
  return j === t.length || isMeta(t[j]) ? t.slice(c.i, j) : "";
}

/** Whether a character ends a plain word: blanks, metacharacters, quotes, `\`, `$`, backtick. */
function isWordStop(code: number): boolean {
  switch (code) {
    case 32: // space
    case 9: // tab
    case 10: // newline
    case 59: // ;
    case 38: // &
    case 124: // |
    case 60: // <
    case 62: // >
    case 40: // (
    case 41: // )
    case 39: // '
    case 34: // "
    case 92: // \
    case 36: // $
    case 96: // `
      return true;
  }
  return false;
}

/** The reserved word at the cursor (command position), or "". */
export function reservedAt(c: Cursor): string {
  const w = plainWordAt(c);
  return RESERVED.has(w) ? w : "";
}

/** Consumes the reserved word `w` (assumed present). */
export function consumeWord(c: Cursor, w: string): void {
  c.advance(w.length);
  c.lastEnd = c.i;
}

/** Skips blanks, comments and newlines (reading heredoc bodies after each newline). */
export function skipLinebreaks(c: Cursor): void {
  for (;;) {
    skipSpace(c);
    if (c.peek() !== "\n") return;
    consumeNewline(c);
  }
}

/** Whether the cursor is at a token that ends a compound list. */
export function atListEnd(c: Cursor): boolean {
  const ch = c.peek();
  if (ch === "" || ch === ")") return true;
  if (ch === ";") return c.peekAt(1) === ";" || c.peekAt(1) === "&";
  return CLOSERS.has(plainWordAt(c));
}

/**
 * Parses a compound list: statements separated by `;`, `&` or newlines,
 * up to (not including) a closing token. May return an empty list.
 * `topLevel`: the script's own list, where bash parses and runs one line at
 * a time, so a `shopt -s extglob` there changes how the following lines parse.
 */
export function parseList(c: Cursor, topLevel = false): Statement[] {
  c.enter();
  const body: Statement[] = [];
  let pending: boolean | undefined;
  let pendingLine = 0;
  for (;;) {
    skipLinebreaks(c);
    if (pending !== undefined && c.pos().line > pendingLine) {
      c.extglob = pending;
      pending = undefined;
    }
    if (atListEnd(c)) break;
    const st = parseStatement(c);
    body.push(st);
    const extglob = topLevel ? shoptExtglob(st) : undefined;
    if (extglob !== undefined) {
      pending = extglob;
      pendingLine = c.pos().line;
    }
    if (st.background) continue;
    skipSpace(c);
    const ch = c.peek();
    if (ch === ";" && c.peekAt(1) !== ";" && c.peekAt(1) !== "&") {
      c.next();
      continue;
    }
    if (ch === "\n") continue;
    if (atListEnd(c)) break;
    c.unexpected();
  }
  c.leave();
  return body;
}

/** Parses a non-empty compound list; `what` names the construct for the error. */
export function parseNonEmptyList(c: Cursor, what: string): Statement[] {
  const body = parseList(c);
  if (body.length === 0) c.unexpected(`a command in ${what}`);
  return body;
}

/**
 * What a top-level statement sets extglob to, when it is a plain
 * `shopt -s|-u ... extglob ...` command; undefined otherwise.
 */
function shoptExtglob(st: Statement): boolean | undefined {
  const { first, rest } = st.andOr;
  if (st.background || rest.length > 0 || first.negated || first.commands.length !== 1) return;
  const cmd = first.commands[0];
  if (cmd.type !== "SimpleCommand" || cmd.assignments.length > 0) return;
  const words: string[] = [];
  for (const w of cmd.words) {
    if (w.type !== "Word" || !w.parts.every((p) => p.type === "literal")) return;
    words.push(w.parts.map((p) => p.type === "literal" ? p.value : "").join(""));
  }
  if (words[0] !== "shopt" || !words.includes("extglob")) return;
  const flags = words.slice(1).filter((w) => w.startsWith("-")).join("");
  if (flags.includes("o") || flags.includes("s") === flags.includes("u")) return;
  return flags.includes("s");
}

function parseStatement(c: Cursor): Statement {
  c.countNode();
  skipSpace(c);
  const start = c.i;
  const pos = c.pos();
  const andOr = parseAndOr(c);
  const end = c.offset(c.lastEnd);
  skipSpace(c);
  let background = false;
  if (c.peek() === "&" && c.peekAt(1) !== "&" && c.peekAt(1) !== ">") {
    c.next();
    background = true;
  }
  return { type: "Statement", andOr, background, pos, offset: c.offset(start), end };
}

function parseAndOr(c: Cursor): AndOr {
  const pos = c.pos();
  const first = parsePipeline(c);
  const rest: AndOr["rest"] = [];
  for (;;) {
    skipSpace(c);
    const a = c.peek();
    if ((a !== "&" && a !== "|") || c.peekAt(1) !== a) break;
    c.advance(2);
    skipLinebreaks(c);
    rest.push({ op: a === "&" ? "&&" : "||", pipeline: parsePipeline(c) });
  }
  return { type: "AndOr", first, rest, pos };
}

function parsePipeline(c: Cursor): Pipeline {
  skipSpace(c);
  const pos = c.pos();
  let negated = false, timed = false;
  for (;;) {
    const w = reservedAt(c);
    if (w === "time" && !timed) {
      consumeWord(c, "time");
      timed = true;
      skipSpace(c);
      if (plainWordAt(c) === "-p") consumeWord(c, "-p");
    } else if (w === "!") {
      consumeWord(c, "!");
      negated = !negated;
    } else break;
    skipSpace(c);
  }
  const commands: Command[] = [];
  const pipeStderr: boolean[] = [];
  if ((timed || negated) && atStatementEnd(c)) {
    const empty: SimpleCommand = {
      type: "SimpleCommand",
      assignments: [],
      words: [],
      redirects: [],
      pos: c.pos(),
    };
    return { type: "Pipeline", negated, timed, commands: [empty], pipeStderr, pos };
  }
  commands.push(parseCommand(c));
  for (;;) {
    skipSpace(c);
    if (c.peek() !== "|" || c.peekAt(1) === "|") break;
    c.next();
    const stderr = c.peek() === "&";
    if (stderr) c.next();
    pipeStderr.push(stderr);
    skipLinebreaks(c);
    commands.push(parseCommand(c));
  }
  return { type: "Pipeline", negated, timed, commands, pipeStderr, pos };
}

function atStatementEnd(c: Cursor): boolean {
  const ch = c.peek();
  return ch === "" || ch === "\n" || ch === ";" || ch === "&" || ch === "|" || ch === ")";
}

/** Parses one command: compound, function definition or simple command. */
export function parseCommand(c: Cursor): Command {
  c.enter();
  skipSpace(c);
  const word = reservedAt(c);
  let cmd: Command | null = null;
  if (word !== "" && CLOSERS.has(word)) c.unexpected();
  cmd = parseCompound(c, word);
  if (cmd === null) cmd = parseSimpleCommand(c);
  c.leave();
  return cmd;
}

/** Parses `$(...)`-style contents up to the closing `)` (not consumed). */
export function parseNestedScript(c: Cursor): Script {
  c.enter();
  const start = c.i;
  const pos = c.pos();
  const body = parseList(c);
  skipLinebreaks(c);
  c.leave();
  return { type: "Script", body, pos, offset: c.offset(start), end: c.offset() };
}

/** Parses a whole script in `c` (to end of input); `topLevel` as in {@link parseList}. */
export function parseWholeScript(c: Cursor, topLevel = false): Script {
  const pos = c.pos();
  const body = parseList(c, topLevel);
  skipLinebreaks(c);
  if (!c.eof()) c.unexpected();
  finishPendingAtEof(c);
  return { type: "Script", body, pos, offset: c.offset(0), end: c.offset() };
}

/** Parses a rewritten sub-text (a backtick body) as a script. */
export function parseScriptText(parent: Cursor, text: string, base: CursorBase): Script {
  const sub = new Cursor(text, base, parent.depth);
  sub.extglob = parent.extglob;
  return parseWholeScript(sub);
}
