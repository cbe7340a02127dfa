/**
 * The `[[ ... ]]` conditional expression: `||`, `&&`, `!`, parentheses,
 * unary and binary operators, with bash's word rules inside (no splitting,
 * `<`/`>` are operators, extglob patterns, the raw regex after `=~`).
 *
 * @module
 */

import type { TestExpr, Word } from "./ast.ts";
import { type Cursor, isMeta, skipSpace } from "./_lex_cursor.ts";
import { consumeWord, plainWordAt, skipLinebreaks } from "./_commands.ts";
import { readWord } from "./_words.ts";

/** The unary operators of `[[ ]]` and `test`. */
export const UNARY_TEST_OPERATORS: ReadonlySet<string> = new Set(
  "abcdefghknoprstuvwxzGLNOSR".split("").map((ch) => `-${ch}`),
);
/** The binary operators of `[[ ]]` (`test` knows them all but `=~`). */
export const BINARY_TEST_OPERATORS: ReadonlySet<string> = new Set([
  "=",
  "==",
  "!=",
  "=~",
  "<",
  ">",
  "-eq",
  "-ne",
  "-lt",
  "-le",
  "-gt",
  "-ge",
  "-nt",
  "-ot",
  "-ef",
]);

/** Parses the expression after `[[` through the closing `]]`. */
export function parseTestCommand(c: Cursor): TestExpr {
  c.enter();
  const expr = parseOr(c);
  skipLinebreaks(c);
  if (!atClose(c)) c.unexpected("']]'");
  consumeWord(c, "]]");
  c.leave();
  return expr;
}

function atClose(c: Cursor): boolean {
  return c.peek() === "]" && c.peekAt(1) === "]" && isMeta(c.peekAt(2));
}

function atOp(c: Cursor, op: "&&" | "||"): boolean {
  return c.peek() === op[0] && c.peekAt(1) === op[1];
}

function parseOr(c: Cursor): TestExpr {
  let left = parseAnd(c);
  for (;;) {
    skipLinebreaks(c);
    if (!atOp(c, "||")) return left;
    c.advance(2);
    const right = parseAnd(c);
    left = { type: "TestOr", left, right, pos: left.pos };
  }
}

function parseAnd(c: Cursor): TestExpr {
  let left = parseNot(c);
  for (;;) {
    skipLinebreaks(c);
    if (!atOp(c, "&&")) return left;
    c.advance(2);
    const right = parseNot(c);
    left = { type: "TestAnd", left, right, pos: left.pos };
  }
}

function parseNot(c: Cursor): TestExpr {
  skipLinebreaks(c);
  if (plainWordAt(c) === "!") {
    const pos = c.pos();
    c.next();
    c.enter();
    const expr = parseNot(c);
    c.leave();
    return { type: "TestNot", expr, pos };
  }
  return parsePrimary(c);
}

function wordStartsHere(c: Cursor): boolean {
  const ch = c.peek();
  if (ch === "" || ch === "\n" || ch === ")" || ch === "(" || ch === "<" || ch === ">") {
    return false;
  }
  if (ch === "&" || ch === "|" || ch === ";") return false;
  return !atClose(c);
}

function readTestWord(c: Cursor): Word {
  const w = readWord(c, "test");
  if (w === null) c.unexpected("a word in the conditional expression");
  return w;
}

function literalText(w: Word): string | null {
  if (w.parts.length !== 1) return null;
  const p = w.parts[0];
  return p.type === "literal" && !p.quoted ? p.value : null;
}

function parsePrimary(c: Cursor): TestExpr {
  skipLinebreaks(c);
  const pos = c.pos();
  if (c.peek() === "(") {
    c.next();
    c.enter();
    const expr = parseOr(c);
    skipLinebreaks(c);
    if (c.peek() !== ")") c.unexpected("')' in the conditional expression");
    c.next();
    c.leave();
    return expr;
  }
  if (!wordStartsHere(c)) c.unexpected("an operand in the conditional expression");
  const left = readTestWord(c);
  const lt = literalText(left);
  skipSpace(c);
  if (lt !== null && UNARY_TEST_OPERATORS.has(lt)) {
    if (!wordStartsHere(c)) c.unexpected(`an operand after the unary operator '${lt}'`);
    return { type: "TestUnary", op: lt, operand: readTestWord(c), pos };
  }
  if (c.peek() === "\n") c.unexpected("a conditional binary operator, '&&', '||' or ']]'");
  let op = "";
  const ch = c.peek();
  if ((ch === "<" || ch === ">") && c.peekAt(1) !== ch) op = ch;
  else {
    const w = plainWordAt(c);
    if (BINARY_TEST_OPERATORS.has(w)) op = w;
  }
  if (op === "") return { type: "TestWord", word: left, pos };
  c.advance(op.length);
  skipLinebreaks(c);
  if (op === "=~" ? c.eof() : !wordStartsHere(c)) c.unexpected(`an operand after '${op}'`);
  const right = op === "=~" ? readWord(c, "regex") : readTestWord(c);
  if (right === null) c.unexpected(`an operand after '${op}'`);
  return { type: "TestBinary", op, left, right, pos };
}
