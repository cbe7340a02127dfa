/**
 * The character cursor the parser reads through: bash's line continuations
 * (backslash-newline) are skipped by {@link Cursor.peek} everywhere except in
 * the raw readers (single quotes, `$'...'`, comments, heredoc bodies), which
 * index `text` directly. Also keeps the pending heredocs and the depth limit.
 *
 * @module
 */

import type { HereDoc, Position, Word } from "./ast.ts";
import { BashLimitError, BashSyntaxError } from "../errors.ts";

/** Characters that end an unquoted word (besides end of input). */
export const METACHARS = " \t\n;&|<>()";

/** Where a sub-text (backtick body, heredoc body) sits in the original text. */
export interface CursorBase {
  /** Line of the sub-text's first character. */
  line: number;
  /** Column of the sub-text's first character. */
  column: number;
  /** Offset of the sub-text's first character in the original text. */
  offset: number;
}

/** A heredoc whose body is read at the next newline. */
export interface PendingHeredoc {
  /** The node to fill in. */
  doc: HereDoc;
  /** The delimiter word (for error positions). */
  target: Word;
}

/** Shared nesting-depth and node budget of one parse (sub-cursors share it). */
export interface DepthBudget {
  /** Current depth. */
  value: number;
  /** Maximum depth. */
  max: number;
  /** Words and statements created so far. */
  nodes: number;
  /** Maximum number of words and statements. */
  maxNodes: number;
}

/** A position in the text plus the parser's shared state. */
export class Cursor {
  /** The text being read. */
  readonly text: string;
  /** Index of the next character. */
  i = 0;
  /** Index just past the last significant token consumed (for node `end` offsets). */
  lastEnd = 0;
  /** Where `text` sits in the original text. */
  readonly base: CursorBase;
  /** Heredocs waiting for the next newline. */
  pending: PendingHeredoc[] = [];
  /** The depth budget. */
  readonly depth: DepthBudget;
  /**
   * Whether `shopt -s extglob` is in effect while parsing: bash then reads
   * `@(...)`, `*(...)`, `+(...)`, `?(...)` and `!(...)` as parts of a word.
   */
  extglob = false;
  #lineStarts: number[] | undefined;

  /** Creates a cursor over `text`. */
  constructor(text: string, base: CursorBase, depth: DepthBudget) {
    this.text = text;
    this.base = base;
    this.depth = depth;
  }

  /** Skips line continuations at the current index. */
  skipContinuations(): void {
    const t = this.text;
    while (t.charCodeAt(this.i) === 92 && t.charCodeAt(this.i + 1) === 10) this.i += 2;
  }

  /** The next character ("" at end of input), after skipping line continuations. */
  peek(): string {
    this.skipContinuations();
    return this.text[this.i] ?? "";
  }

  /** The character `n` positions ahead of {@link peek}, skipping continuations. */
  peekAt(n: number): string {
    this.skipContinuations();
    const t = this.text;
    let j = this.i;
    for (let k = 0; k < n; k++) {
      j++;
      while (t.charCodeAt(j) === 92 && t.charCodeAt(j + 1) === 10) j += 2;
    }
    return t[j] ?? "";
  }

  /** Whether the next characters are `s` (continuations skipped). */
  lookingAt(s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.peekAt(k) !== s[k]) return false;
    return true;
  }

  /** Consumes and returns the next character. */
  next(): string {
    const ch = this.peek();
    if (ch !== "") this.i++;
    return ch;
  }

  /** Consumes `n` characters. */
  advance(n: number): void {
    for (let k = 0; k < n; k++) this.next();
  }

  /** Whether the input is exhausted. */
  eof(): boolean {
    return this.peek() === "";
  }

  /** The absolute offset of index `i` in the original text. */
  offset(i: number = this.i): number {
    return this.base.offset + i;
  }

  /** The 1-based line and column of index `i`. */
  pos(i: number = this.i): Position {
    const starts = this.#lineStarts ??= lineStarts(this.text);
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const column = i - starts[lo] + 1;
    return lo === 0
      ? { line: this.base.line, column: this.base.column + column - 1 }
      : { line: this.base.line + lo, column };
  }

  /** Throws a {@link BashSyntaxError} at index `i`. */
  fail(detail: string, i: number = this.i): never {
    const p = this.pos(i);
    throw new BashSyntaxError(detail, p.line, p.column);
  }

  /** Enters one nesting level; throws {@link BashLimitError} past the budget. */
  enter(): void {
    if (++this.depth.value > this.depth.max) {
      const p = this.pos();
      throw new BashLimitError(`nesting deeper than ${this.depth.max} levels`, p.line, p.column);
    }
  }

  /** Counts one word or statement; throws {@link BashLimitError} past the budget. */
  countNode(): void {
    if (++this.depth.nodes > this.depth.maxNodes) {
      const p = this.pos();
      throw new BashLimitError(
        `more than ${this.depth.maxNodes} words and commands`,
        p.line,
        p.column,
      );
    }
  }

  /** Leaves one nesting level. */
  leave(): void {
    this.depth.value--;
  }

  /** Describes the token at the cursor for an error message. */
  describeHere(): string {
    const ch = this.peek();
    if (ch === "") return "end of file";
    if (ch === "\n") return "newline";
    const op = /^(;;&|;;|;&|&&|\|\||\|&|&>>|&>|>>|<<<|<<-|<<|<>|<&|>&|>\||[;&|<>()])/.exec(
      this.text.slice(this.i, this.i + 3),
    );
    if (op) return `'${op[1]}'`;
    const word = /^[^ \t\n;&|<>()]{1,40}/.exec(this.text.slice(this.i, this.i + 40));
    return `'${word ? word[0] : ch}'`;
  }

  /** Throws "unexpected <token>" with an optional `; expected ...` hint. */
  unexpected(expected?: string): never {
    const what = this.describeHere();
    const verb = what === "end of file" ? "unexpected end of file" : `unexpected ${what}`;
    this.fail(expected ? `${verb}; expected ${expected}` : verb);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Whether `ch` ends an unquoted word. */
export function isMeta(ch: string): boolean {
  switch (ch) {
    case "":
    case " ":
    case "\t":
    case "\n":
    case ";":
    case "&":
    case "|":
    case "<":
    case ">":
    case "(":
    case ")":
      return true;
  }
  return false;
}

/** Whether `ch` is a blank (space or tab). */
export function isBlank(ch: string): boolean {
  return ch === " " || ch === "\t";
}

/** Skips blanks and a comment (up to, not including, its newline). */
export function skipSpace(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === " " || ch === "\t") c.i++;
    else if (ch === "#") {
      const nl = c.text.indexOf("\n", c.i);
      c.i = nl === -1 ? c.text.length : nl;
    } else return;
  }
}

/** Whether `s` is a valid bash variable name. */
export function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}
