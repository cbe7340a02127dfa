/**
 * Translates a GNU sed regular expression (POSIX BRE with GNU's `\+ \? \{ \}`
 * extensions, or ERE with `-E`) into a JavaScript RegExp source that matches
 * exactly what glibc matches in the C locale.
 *
 * POSIX matching is leftmost-longest while JavaScript's is leftmost-first.
 * They agree when every repetition applies to a single character (a
 * character, `.`, a bracket expression, `\w`...) and groups are never
 * repeated; so repeated groups, alternation and back-references are refused
 * rather than translated, as is any form whose glibc meaning is unclear.
 *
 * @module
 */

import { refuse } from "../eval/refusal.ts";
import { POSIX_CLASSES } from "./posix_classes.ts";

/** A translated regular expression. */
export interface PosixRegex {
  /** The JavaScript source; use it with the `s` (dotAll) flag, as `.` matches a newline. */
  readonly source: string;
  /** The number of capturing groups. */
  readonly groups: number;
  /** The number of repeated atoms, to bound backtracking. */
  readonly repeats: number;
}

/** GNU regex knows only the POSIX classes (no `[:word:]`). */
const CLASSES = POSIX_CLASSES;

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\\n",
  t: "\\t",
  f: "\\f",
  v: "\\v",
  r: "\\r",
  a: "\\x07",
  w: "[0-9A-Za-z_]",
  W: "[^0-9A-Za-z_]",
  s: "[ \\t\\n\\v\\f\\r]",
  S: "[^ \\t\\n\\v\\f\\r]",
};

const RE_DUP_MAX = 32767;

function fail(re: string, why: string): never {
  refuse(`sed regex /${re}/`, `the sed regular expression /${re}/ ${why}`);
}

/** Escapes one literal character for a JavaScript RegExp (outside a class). */
function literal(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}

/** Escapes one literal character inside a JavaScript character class. */
function classChar(c: string): string {
  if (c === "\n") return "\\n";
  if (c === "\t") return "\\t";
  return /[\\\]^-]/.test(c) ? "\\" + c : c;
}

/** Parses the bracket expression starting at `re[i] === "["`; returns its JS class and end. */
function bracket(re: string, start: number): { js: string; end: number } {
  let i = start + 1;
  let negate = false;
  if (re[i] === "^") {
    negate = true;
    i++;
  }
  const items: string[] = [];
  let first = true;
  for (;;) {
    if (i >= re.length) fail(re, "has an unterminated bracket expression");
    let c = re[i];
    if (c === "]" && !first) break;
    first = false;
    if (c === "[" && (re[i + 1] === "." || re[i + 1] === "=")) {
      fail(re, "uses a collating element or equivalence class, which depends on the locale");
    }
    if (c === "[" && re[i + 1] === ":") {
      const close = re.indexOf(":]", i + 2);
      const name = close === -1 ? "" : re.slice(i + 2, close);
      if (!Object.hasOwn(CLASSES, name)) fail(re, `uses an unknown character class [:${name}:]`);
      if (re[close + 2] === "-" && re[close + 3] !== "]") fail(re, "uses a class as a range end");
      items.push(CLASSES[name]);
      i = close + 2;
      continue;
    }
    if (c === "\\") {
      const n = re[i + 1];
      if (n === "n" || n === "t") {
        c = n === "n" ? "\n" : "\t";
        i++;
      } else if (n !== undefined && "afvrdoxc".includes(n)) {
        fail(re, `uses the escape \\${n} inside a bracket expression`);
      }
    }
    if (re[i + 1] === "-" && re[i + 2] !== undefined && re[i + 2] !== "]") {
      const hi = re[i + 2];
      if (hi === "[") fail(re, "uses a bracket construct as a range end");
      if (hi === "\\" && (re[i + 3] === "n" || re[i + 3] === "t")) {
        fail(re, "uses an escape as a range end");
      }
      if (c > hi) fail(re, `has the invalid range ${c}-${hi}`);
      items.push(classChar(c) + "-" + classChar(hi));
      i += 3;
      continue;
    }
    items.push(classChar(c));
    i++;
  }
  return { js: "[" + (negate ? "^" : "") + items.join("") + "]", end: i + 1 };
}

/** Reads an interval body `n`, `n,`, `n,m` or `,m` ending at `close`; returns the JS quantifier. */
function interval(re: string, body: string): string {
  const m = /^(\d*)(,?)(\d*)$/.exec(body);
  if (!m || (m[1] === "" && m[2] === "")) fail(re, `has the invalid interval {${body}}`);
  const lo = m[1] === "" ? 0 : Number(m[1]);
  const hi = m[3] === "" ? (m[2] ? Infinity : lo) : Number(m[3]);
  if (lo > hi || lo > RE_DUP_MAX || (hi !== Infinity && hi > RE_DUP_MAX)) {
    fail(re, `has the invalid interval {${body}}`);
  }
  return `{${lo}${m[2]}${m[3] === "" ? "" : hi}}`;
}

/**
 * Translates `re` (BRE, or ERE when `extended`) into a JavaScript RegExp source;
 * refuses (through {@link refuse}) what it cannot translate exactly.
 */
export function translatePosixRegex(re: string, extended: boolean): PosixRegex {
  if (re === "") fail(re, "is empty, which reuses the last regular expression");
  if (/[\u0080-\uffff]/.test(re)) {
    fail(re, "has non-ASCII characters, whose meaning depends on the locale");
  }
  let out = "";
  let groups = 0;
  let open = 0;
  let repeats = 0;
  // What the last piece was: "start" (start of the RE or of a group, or after ^),
  // "atom" (a repeatable single character), "repeated", "group" (a closed group) or "anchor".
  let last: "start" | "atom" | "repeated" | "group" | "anchor" = "start";
  const quantify = (q: string) => {
    if (last === "group") {
      fail(re, "repeats a group, which POSIX and JavaScript may match differently");
    }
    if (last === "repeated") fail(re, `repeats a repetition with ${q}`);
    if (last !== "atom") fail(re, `has the repetition ${q} after nothing repeatable`);
    out += q;
    repeats++;
    last = "repeated";
  };
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === "\\") {
      const n = re[++i];
      if (n === undefined) fail(re, "ends with a backslash");
      if (!extended && n === "(") {
        out += "(";
        groups++;
        open++;
        last = "start";
      } else if (!extended && n === ")") {
        if (open === 0) fail(re, "has an unmatched \\)");
        out += ")";
        open--;
        last = "group";
      } else if (!extended && n === "{") {
        if (last === "start") fail(re, "starts with an interval");
        const close = re.indexOf("\\}", i + 1);
        if (close === -1) fail(re, "has an unterminated \\{");
        quantify(interval(re, re.slice(i + 1, close)));
        i = close + 1;
      } else if (!extended && (n === "+" || n === "?")) {
        if (last === "start") fail(re, `starts with \\${n}`);
        quantify(n);
      } else if (!extended && n === "|") {
        fail(
          re,
          "uses alternation \\|, which POSIX (longest match) and JavaScript may match differently",
        );
      } else if (n === "}" && !extended) {
        fail(re, "has an unmatched \\}");
      } else if (/[1-9]/.test(n)) {
        fail(re, `uses the back-reference \\${n}`);
      } else if (n in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[n];
        last = "atom";
      } else if (/[0-9A-Za-z]/.test(n)) {
        fail(re, `uses the escape \\${n}`);
      } else {
        out += literal(n);
        last = "atom";
      }
      continue;
    }
    if (c === "[") {
      const b = bracket(re, i);
      out += b.js;
      i = b.end - 1;
      last = "atom";
      continue;
    }
    if (c === ".") {
      out += ".";
      last = "atom";
      continue;
    }
    if (c === "*") {
      if (last === "start") {
        if (extended) fail(re, "starts with *");
        out += "\\*";
        last = "atom";
      } else quantify("*");
      continue;
    }
    if (c === "^" && (extended || last === "start" && (i === 0 || re[i - 1] === "("))) {
      out += "^";
      last = extended ? "anchor" : "start";
      continue;
    }
    if (c === "$" && (extended || i === re.length - 1 || re.startsWith("\\)", i + 1))) {
      out += "$";
      last = "anchor";
      continue;
    }
    if (extended) {
      if (c === "(") {
        out += "(";
        groups++;
        open++;
        last = "start";
        continue;
      }
      if (c === ")") {
        if (open === 0) fail(re, "has an unmatched )");
        out += ")";
        open--;
        last = "group";
        continue;
      }
      if (c === "|") {
        fail(
          re,
          "uses alternation |, which POSIX (longest match) and JavaScript may match differently",
        );
      }
      if (c === "+" || c === "?") {
        if (last === "start" || last === "anchor") fail(re, `starts with ${c}`);
        quantify(c);
        continue;
      }
      if (c === "{") {
        const close = re.indexOf("}", i + 1);
        if (close === -1 || last === "start" || last === "anchor") fail(re, "has a misplaced {");
        quantify(interval(re, re.slice(i + 1, close)));
        i = close;
        continue;
      }
      if (c === "}") fail(re, "has an unmatched }");
    }
    out += literal(c);
    last = "atom";
  }
  if (open !== 0) fail(re, "has an unmatched (");
  return { source: out, groups, repeats };
}
