/**
 * Word reading: quoting, escapes, tildes and the loop that turns characters
 * into {@link WordPart}s for every context (command words, `[[ ]]` words and
 * regexes, double quotes, heredoc bodies, `${...}` operator words,
 * arithmetic text and subscripts).
 *
 * @module
 */

import type { LiteralPart, Position, Word, WordPart } from "./ast.ts";
import { type Cursor, isBlank, isMeta } from "./_lex_cursor.ts";
import { readBacktick, readDollar, readProcessSub } from "./_dollar.ts";

/**
 * The contexts a word is read in:
 * - `word`: a command word (ends at a metacharacter);
 * - `test`: a `[[ ]]` operand (ends at blanks, `<`, `>`, `&`, `|`, `;`, `(`, `)`; extglob parens allowed);
 * - `regex`: the right side of `=~` (ends at a blank outside parentheses);
 * - `dq`: inside `"..."` (ends at `"`);
 * - `heredoc`: an unquoted-delimiter heredoc body (ends at end of input);
 * - `param`: a `${x op word}` word, unquoted rules (ends at `}` or an `until` character);
 * - `paramDq`: the same inside double quotes (double-quote rules, `'` literal);
 * - `arith`: arithmetic text (ends at an unbalanced `)` or an `until` character);
 * - `subscript`: inside `[...]` (ends at an unbalanced `]`).
 */
export type WordKind =
  | "word"
  | "test"
  | "regex"
  | "dq"
  | "heredoc"
  | "param"
  | "paramDq"
  | "arith"
  | "subscript";

/** Whether a context's literal text counts as quoted. */
export function isQuotedKind(kind: WordKind): boolean {
  return kind === "dq" || kind === "heredoc" || kind === "paramDq" || kind === "arith";
}

/** Collects parts, merging adjacent literals of equal quotedness. */
export class PartsBuilder {
  /** The parts so far. */
  readonly parts: WordPart[] = [];

  /** Appends literal text. */
  literal(value: string, quoted: boolean, pos: () => Position): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.type === "literal" && last.quoted === quoted) {
      last.value += value;
      return;
    }
    if (value === "" && !quoted) return;
    const part: LiteralPart = { type: "literal", value, quoted, pos: pos() };
    this.parts.push(part);
  }

  /** Appends a non-literal part. */
  push(part: WordPart): void {
    this.parts.push(part);
  }
}

/** Options of {@link readParts}. */
export interface ReadOptions {
  /** Extra terminator characters at nesting depth 0 (e.g. `/` for a replace pattern). */
  until?: string;
  /** Assignment value: a tilde prefix may follow any unquoted `:`. */
  assignment?: boolean;
  /** Index of the opening delimiter, for the end-of-file error position. */
  openedAt?: number;
}

const EXTGLOB_PREFIX = "@!*+?";

/** Runs of characters that are plain literal text in a context (a fast path). */
const RUNS: Partial<Record<WordKind, RegExp>> = {
  word: /[^ \t\n;&|<>()\\'"$`:~]+/y,
  dq: /[^"\\$`]+/y,
  heredoc: /[^\\$`]+/y,
};

/**
 * Reads parts of `kind` into `out` until the context's terminator (not
 * consumed). Throws on end of input for contexts that need a terminator.
 */
export function readParts(
  c: Cursor,
  kind: WordKind,
  out: PartsBuilder,
  opts: ReadOptions = {},
): void {
  const quoted = isQuotedKind(kind);
  const until = opts.until ?? "";
  let depth = 0;
  let prev = "";
  const here = () => c.pos();
  for (;;) {
    const ch = c.peek();
    if (ch === "") {
      if (kind === "word" && depth > 0) {
        c.fail("unexpected end of file while looking for a matching ')'");
      }
      if (kind === "word" || kind === "test" || kind === "regex" || kind === "heredoc") return;
      if (opts.openedAt === undefined) c.unexpected(closerOf(kind, until));
      c.fail(`unexpected end of file while looking for ${closerOf(kind, until)}`, opts.openedAt);
    }
    if (depth === 0 && until.includes(ch)) return;
    if (kind === "word" && (ch === "<" || ch === ">") && c.peekAt(1) === "(") {
      out.push(readProcessSub(c));
      prev = ")";
      continue;
    }
    depth = nextDepth(kind, ch, depth, prev, c.extglob);
    if (depth < 0) return;
    const run = RUNS[kind];
    if (run && depth === 0 && until === "") {
      run.lastIndex = c.i;
      const m = run.exec(c.text);
      if (m) {
        out.literal(m[0], quoted, here);
        c.i += m[0].length;
        prev = m[0][m[0].length - 1];
        continue;
      }
    }
    prev = readOne(c, kind, quoted, out, here);
    if (opts.assignment && prev === ":" && !quoted) readTilde(c, out, ":");
  }
}

/**
 * The nesting depth after `ch` in a context of `kind`, or -1 when the word
 * ends before `ch`. `prev` is the previous unquoted character (extglob);
 * `extglob` says whether command words may hold extglob groups.
 */
function nextDepth(
  kind: WordKind,
  ch: string,
  depth: number,
  prev: string,
  extglob: boolean,
): number {
  switch (kind) {
    case "word":
      if (extglob) {
        // bash reads an extglob group as a balanced pair, blanks and `|` included
        if (ch === "(" && (depth > 0 || EXTGLOB_PREFIX.includes(prev))) return depth + 1;
        if (depth > 0) return ch === ")" ? depth - 1 : depth;
      }
      return isMeta(ch) ? -1 : depth;
    case "test":
      if (ch === "(" && (depth > 0 || EXTGLOB_PREFIX.includes(prev))) return depth + 1;
      if (ch === ")" && depth > 0) return depth - 1;
      return depth === 0 && (isBlank(ch) || ch === "\n" || "<>&|;()".includes(ch)) ? -1 : depth;
    case "regex":
      if (ch === "(") return depth + 1;
      if (ch === ")" && depth > 0) return depth - 1;
      return depth === 0 && (isBlank(ch) || ch === "\n") ? -1 : depth;
    case "dq":
      return ch === '"' ? -1 : depth;
    case "param":
    case "paramDq":
      // the first unquoted `}` ends `${...}`: bash does not pair a plain `{` inside it
      return ch === "}" ? -1 : depth;
    case "arith":
      if (ch === "(" || ch === "[") return depth + 1;
      if (ch === ")" || ch === "]") return depth === 0 ? -1 : depth - 1;
      return depth;
    case "subscript":
      if (ch === "[") return depth + 1;
      if (ch === "]") return depth === 0 ? -1 : depth - 1;
      return depth;
  }
  return depth;
}

/** Reads one character or one quoted/expansion unit; returns the raw unquoted char or "". */
function readOne(
  c: Cursor,
  kind: WordKind,
  quoted: boolean,
  out: PartsBuilder,
  here: () => Position,
): string {
  const ch = c.peek();
  const unquotedRules = !quoted;
  if (ch === "\\") {
    const start = c.i;
    c.i++;
    const n = c.text[c.i] ?? "";
    if (n === "") {
      out.literal("\\", quoted, () => c.pos(start));
      return "";
    }
    if (
      unquotedRules || "$`\\".includes(n) || (n === '"' && kind !== "heredoc") ||
      (n === "}" && kind === "paramDq")
    ) {
      c.i++;
      out.literal(n, true, () => c.pos(start));
    } else out.literal("\\", true, () => c.pos(start));
    return "";
  }
  if (ch === "'" && unquotedRules) {
    out.literal(readSingleQuoted(c), true, here);
    return "";
  }
  if (ch === '"' && kind !== "dq" && kind !== "heredoc") {
    readDoubleQuoted(c, out);
    return "";
  }
  if (ch === "$") {
    if (c.peekAt(1) === '"' && unquotedRules) {
      c.next(); // $"..." is a (translatable) double-quoted string
      return "";
    }
    const part = readDollar(c, kind);
    if (part === null) {
      c.next();
      out.literal("$", quoted, here);
      return "$";
    }
    if (part.type === "literal") out.literal(part.value, part.quoted, () => part.pos);
    else out.push(part);
    return "";
  }
  if (ch === "`") {
    out.push(readBacktick(c, quoted));
    return "";
  }
  c.next();
  out.literal(ch, quoted, here);
  return ch;
}

function closerOf(kind: WordKind, until: string): string {
  if (kind === "dq") return "a closing '\"'";
  if (kind === "param" || kind === "paramDq") return "a closing '}'";
  if (kind === "subscript") return "a closing ']'";
  if (until.includes("]")) return "a closing ']'";
  return "a closing ')'";
}

/** Reads `'...'` (cursor on the opening quote); returns the text. */
export function readSingleQuoted(c: Cursor): string {
  const open = c.i;
  c.i++;
  const close = c.text.indexOf("'", c.i);
  if (close === -1) c.fail('unexpected end of file while looking for the matching "\'"', open);
  const value = c.text.slice(c.i, close);
  c.i = close + 1;
  return value;
}

/** Reads `"..."` (cursor on the opening quote) into `out` as quoted parts. */
export function readDoubleQuoted(c: Cursor, out: PartsBuilder): void {
  const open = c.i;
  c.next();
  c.enter();
  const before = c.i;
  const count = out.parts.length;
  readParts(c, "dq", out, { openedAt: open });
  if (c.peek() !== '"') c.fail("unexpected end of file while looking for the matching '\"'", open);
  if (c.i === before || out.parts.length === count) out.literal("", true, () => c.pos(open));
  c.next();
  c.leave();
}

/**
 * Reads a tilde prefix at the cursor, if there is one: `~` plus login-name
 * characters, followed by `/`, end of word or one of `extraEnd`.
 */
export function readTilde(c: Cursor, out: PartsBuilder, extraEnd = ""): void {
  if (c.peek() !== "~") return;
  const t = c.text;
  let j = c.i + 1;
  while (j < t.length && /[A-Za-z0-9._+-]/.test(t[j])) j++;
  const after = t[j] ?? "";
  if (after !== "/" && !isMeta(after) && !extraEnd.includes(after)) return;
  const pos = c.pos();
  out.push({ type: "tilde", user: t.slice(c.i + 1, j), quoted: false, pos });
  c.i = j;
}

/** Reads one command word at the cursor, or returns null when none starts here. */
export function readWord(
  c: Cursor,
  kind: "word" | "test" | "regex" = "word",
  opts: ReadOptions = {},
): Word | null {
  c.countNode();
  const start = c.i;
  const pos = c.pos();
  const out = new PartsBuilder();
  if (kind !== "regex") readTilde(c, out, opts.assignment ? ":" : "");
  readParts(c, kind, out, opts);
  if (c.i === start) return null;
  return { type: "Word", parts: out.parts, pos, offset: c.offset(start), end: c.offset() };
}

/** Reads parts of `kind` as one {@link Word} (possibly empty). */
export function readWordOf(c: Cursor, kind: WordKind, opts: ReadOptions = {}): Word {
  c.countNode();
  const start = c.i;
  const pos = c.pos();
  const out = new PartsBuilder();
  if (kind === "param" && !opts.until) readTilde(c, out, "}");
  readParts(c, kind, out, opts);
  return { type: "Word", parts: out.parts, pos, offset: c.offset(start), end: c.offset() };
}
