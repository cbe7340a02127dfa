/**
 * Expansions that start with `$` or a backtick: parameters (`$x`, `${...}`
 * with every operator), command substitution (`$(...)`, backticks),
 * arithmetic (`$((...))`, `$[...]`), `$'...'`, `$"..."`, and process
 * substitution `<(...)` / `>(...)`.
 *
 * @module
 */

import type {
  ArithSubPart,
  CommandSubPart,
  LiteralPart,
  ParamIndex,
  ParamOp,
  ParamPart,
  ProcessSubPart,
  WordPart,
} from "./ast.ts";
import type { Cursor } from "./_lex_cursor.ts";
import { decodeAnsiC, findAnsiEnd } from "./_lex_ansi.ts";
import { isQuotedKind, readWordOf, type WordKind } from "./_words.ts";
import { parseNestedScript, parseScriptText } from "./_commands.ts";

const SPECIAL_PARAMS = "@*#?-$!0";

/**
 * Reads the expansion at a `$` (cursor on it) in a context of `kind`.
 * Returns null when the `$` is a literal dollar sign.
 */
export function readDollar(c: Cursor, kind: WordKind): WordPart | null {
  const quoted = isQuotedKind(kind);
  const n = c.peekAt(1);
  if (n === "{") return readBraceParam(c, quoted);
  if (n === "(") {
    if (c.peekAt(2) === "(" && arithAhead(c.text, c.i)) return readArith(c, quoted);
    return readCommandSub(c, quoted);
  }
  if (n === "[") return readLegacyArith(c, quoted);
  if (n === "'" && (!quoted || kind === "paramDq")) return readAnsi(c);
  const pos = c.pos();
  if (/[A-Za-z_]/.test(n)) {
    c.next();
    c.skipContinuations();
    const t = c.text;
    const m = /[A-Za-z_][A-Za-z0-9_]*/y;
    m.lastIndex = c.i;
    const name = m.exec(t)![0];
    c.i += name.length;
    return { type: "param", name, quoted, braced: false, pos };
  }
  if ((n >= "0" && n <= "9") || (n !== "" && SPECIAL_PARAMS.includes(n))) {
    c.advance(2);
    return { type: "param", name: n, quoted, braced: false, pos };
  }
  return null;
}

function readAnsi(c: Cursor): LiteralPart {
  const pos = c.pos();
  c.next();
  const open = c.i;
  const close = findAnsiEnd(c.text, open + 1);
  if (close === -1) c.fail('unexpected end of file while looking for the matching "\'"', open);
  const value = decodeAnsiC(c.text.slice(open + 1, close));
  c.i = close + 1;
  return { type: "literal", value, quoted: true, pos };
}

/**
 * Whether the `$((` or `((` at `at` is arithmetic: its first unbalanced `)`
 * is immediately followed by another `)`. `at` points at `$` or the first `(`.
 */
export function arithAhead(text: string, at: number): boolean {
  let j = text.indexOf("((", at) + 2;
  let depth = 0;
  for (; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") j++;
    else if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, j + 1);
      if (close === -1) return false;
      if (ch === "'") j = close;
      else j = skipDq(text, j + 1);
    } else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) return text[j + 1] === ")";
      depth--;
    }
  }
  return false;
}

function skipDq(text: string, j: number): number {
  for (; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}

function readArith(c: Cursor, quoted: boolean): ArithSubPart {
  const pos = c.pos();
  const open = c.i;
  c.advance(3);
  c.enter();
  const start = c.i;
  const expr = readWordOf(c, "arith", { openedAt: open });
  const source = c.text.slice(start, c.i);
  if (c.peek() !== ")" || c.peekAt(1) !== ")") {
    c.fail("unexpected end of arithmetic expansion; expected '))'", open);
  }
  c.advance(2);
  c.leave();
  return { type: "arith", expr, source, quoted, pos };
}

function readLegacyArith(c: Cursor, quoted: boolean): ArithSubPart {
  const pos = c.pos();
  c.advance(2);
  c.enter();
  const start = c.i;
  const expr = readWordOf(c, "arith", { until: "]" });
  const source = c.text.slice(start, c.i);
  if (c.peek() !== "]") c.unexpected("']'");
  c.next();
  c.leave();
  return { type: "arith", expr, source, quoted, pos };
}

function readCommandSub(c: Cursor, quoted: boolean): CommandSubPart {
  c.countNode();
  const pos = c.pos();
  c.advance(2);
  const start = c.i;
  const script = parseNestedScript(c);
  if (c.peek() !== ")") c.unexpected("')' to close '$('");
  const source = c.text.slice(start, c.i);
  c.next();
  return { type: "commandSub", script, source, backtick: false, quoted, pos };
}

/** Reads `<(...)` or `>(...)` (cursor on `<` / `>`). */
export function readProcessSub(c: Cursor): ProcessSubPart {
  c.countNode();
  const pos = c.pos();
  const direction = c.next() as "<" | ">";
  c.next();
  const start = c.i;
  const script = parseNestedScript(c);
  if (c.peek() !== ")") c.unexpected(`')' to close '${direction}('`);
  const source = c.text.slice(start, c.i);
  c.next();
  return { type: "processSub", direction, script, source, quoted: false, pos };
}

/** Reads a backtick command substitution (cursor on the opening backtick). */
export function readBacktick(c: Cursor, quoted: boolean): CommandSubPart {
  c.countNode();
  const pos = c.pos();
  const open = c.i;
  const t = c.text;
  let body = "";
  let j = open + 1;
  for (;;) {
    if (j >= t.length) c.fail("unexpected end of file while looking for the matching '`'", open);
    const ch = t[j];
    if (ch === "`") break;
    if (ch === "\\" && j + 1 < t.length) {
      const n = t[j + 1];
      if (n === "$" || n === "`" || n === "\\" || (quoted && n === '"')) body += n;
      else body += ch + n;
      j += 2;
      continue;
    }
    body += ch;
    j++;
  }
  c.i = j + 1;
  const p = c.pos(open + 1);
  const script = parseScriptText(c, body, {
    line: p.line,
    column: p.column,
    offset: c.offset(open + 1),
  });
  return { type: "commandSub", script, source: body, backtick: true, quoted, pos };
}

function readParamName(c: Cursor): string {
  const t = c.text;
  c.skipContinuations();
  const m = /[A-Za-z_][A-Za-z0-9_]*|[0-9]+/y;
  m.lastIndex = c.i;
  const r = m.exec(t);
  if (r) {
    c.i += r[0].length;
    return r[0];
  }
  const ch = t[c.i] ?? "";
  if (ch !== "" && SPECIAL_PARAMS.includes(ch)) {
    c.i++;
    return ch;
  }
  return "";
}

function readBraceParam(c: Cursor, quoted: boolean): ParamPart {
  c.countNode();
  const pos = c.pos();
  const open = c.i;
  c.advance(2);
  c.enter();
  const part: ParamPart = { type: "param", name: "", quoted, braced: true, pos };
  const bodyStart = c.i;
  readParamHead(c, part);
  if (part.name !== "" && c.peek() === "[") part.index = readIndex(c);
  if (part.name !== "") readParamOp(c, part, quoted);
  if (c.peek() !== "}") {
    // Anything else is a runtime "bad substitution" in bash: keep the text.
    readWordOf(c, "param");
    part.op = { kind: "bad", text: c.text.slice(bodyStart, c.i) };
  }
  if (c.peek() !== "}") c.fail("unexpected end of file while looking for the matching '}'", open);
  c.next();
  c.leave();
  return part;
}

function readParamHead(c: Cursor, part: ParamPart): void {
  const first = c.peek();
  if ((first === "#" || first === "!") && c.peekAt(1) !== "}") {
    const save = c.i;
    c.next();
    const name = readParamName(c);
    const after = c.peek();
    if (first === "#" && name !== "" && (after === "}" || after === "[")) {
      part.length = true;
      part.name = name;
      return;
    }
    if (first === "!" && name !== "") {
      part.indirect = true;
      part.name = name;
      return;
    }
    c.i = save;
  }
  part.name = readParamName(c);
}

/** Reads `[...]` at the cursor as a subscript. */
export function readIndex(c: Cursor): ParamIndex {
  const open = c.i;
  c.next();
  const ch = c.peek();
  if ((ch === "@" || ch === "*") && c.peekAt(1) === "]") {
    c.advance(2);
    return { type: "all", star: ch === "*" };
  }
  const start = c.i;
  const word = readWordOf(c, "subscript");
  if (c.peek() !== "]") c.fail("unexpected end of file while looking for the matching ']'", open);
  const text = c.text.slice(start, c.i);
  c.next();
  return { type: "expr", word, text };
}

function readParamOp(c: Cursor, part: ParamPart, quoted: boolean): void {
  const ch = c.peek();
  const n = c.peekAt(1);
  let op: ParamOp | undefined;
  if (ch === "}") return;
  if (part.indirect && (ch === "*" || ch === "@") && n === "}" && !part.index) {
    c.next();
    delete part.indirect;
    op = { kind: "names", star: ch === "*" };
  } else if (ch === ":" && "-=?+".includes(n) && n !== "") {
    c.advance(2);
    op = {
      kind: "default",
      op: `:${n}` as ":-",
      word: readWordOf(c, quoted ? "paramDq" : "param"),
    };
  } else if ("-=?+".includes(ch)) {
    c.next();
    op = { kind: "default", op: ch as "-", word: readWordOf(c, quoted ? "paramDq" : "param") };
  } else if (ch === ":") {
    c.next();
    const offset = readWordOf(c, "arith", { until: ":}" });
    op = { kind: "substring", offset };
    if (c.peek() === ":") {
      c.next();
      op.length = readWordOf(c, "arith", { until: "}" });
    }
  } else if (ch === "#" || ch === "%") {
    c.next();
    const double = c.peek() === ch;
    if (double) c.next();
    const o = (double ? ch + ch : ch) as "#";
    op = { kind: "trim", op: o, pattern: readWordOf(c, "param", { until: "}" }) };
  } else if (ch === "/") {
    c.next();
    let o: "/" | "//" | "/#" | "/%" = "/";
    const m = c.peek();
    if (m === "/" || m === "#" || m === "%") {
      c.next();
      o = `/${m}` as "//";
    }
    const pattern = readWordOf(c, "param", { until: "/}" });
    op = { kind: "replace", op: o, pattern };
    if (c.peek() === "/") {
      c.next();
      op.replacement = readWordOf(c, "param", { until: "}" });
    }
  } else if (ch === "^" || ch === "," || ch === "~") {
    c.next();
    const double = c.peek() === ch;
    if (double) c.next();
    const pattern = readWordOf(c, "param", { until: "}" });
    op = { kind: "case", op: (double ? ch + ch : ch) as "^" };
    if (pattern.parts.length > 0) op.pattern = pattern;
  } else if (ch === "@" && /[QEPAKaUuLk]/.test(n) && c.peekAt(2) === "}") {
    c.advance(2);
    op = { kind: "transform", op: n };
  }
  if (op) part.op = op;
}
