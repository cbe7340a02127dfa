/**
 * Conditional expressions: `[[ ... ]]` over the parsed tree and the
 * `test` / `[` builtins over expanded arguments. String and arithmetic
 * tests, `-v`, pattern matching and `=~`; file tests are refused (they
 * depend on the disk).
 *
 * @module
 */

import type { TestExpr, Word } from "../parse/ast.ts";
import { expandParts, expandPattern, expandScalar } from "../expand/word.ts";
import type { Evaluator } from "./evaluator.ts";
import { refuse } from "./refusal.ts";
import { elementOf } from "../expand/parameter.ts";
import { escapeRegExp } from "../expand/pattern.ts";
import { posixClass } from "../expand/posix_classes.ts";
import { BINARY_TEST_OPERATORS } from "../parse/_conditional.ts";

const FILE_TESTS = new Set([
  "-a",
  "-b",
  "-c",
  "-d",
  "-e",
  "-f",
  "-g",
  "-h",
  "-k",
  "-p",
  "-r",
  "-s",
  "-t",
  "-u",
  "-w",
  "-x",
  "-G",
  "-L",
  "-N",
  "-O",
  "-S",
]);

/** Evaluates a `[[ ]]` expression. */
export function evalTestExpr(ev: Evaluator, e: TestExpr): boolean {
  ev.budget.step();
  switch (e.type) {
    case "TestAnd":
      return evalTestExpr(ev, e.left) && evalTestExpr(ev, e.right);
    case "TestOr":
      return evalTestExpr(ev, e.left) || evalTestExpr(ev, e.right);
    case "TestNot":
      return !evalTestExpr(ev, e.expr);
    case "TestWord":
      return known(ev, e.word) !== "";
    case "TestUnary":
      return unary(ev, e.op, known(ev, e.operand));
    case "TestBinary": {
      const left = known(ev, e.left);
      if (e.op === "==" || e.op === "=" || e.op === "!=") {
        const m = ev.matches(expandPattern(ev, e.right), left);
        return e.op === "!=" ? !m : m;
      }
      if (e.op === "=~") return regexMatch(ev, left, e.right);
      return binary(ev, e.op, left, known(ev, e.right), true);
    }
  }
}

/** An operand of `[[ ]]`: its expansion, refused when it holds an unknown value. */
function known(ev: Evaluator, word: Word): string {
  return ev.unknowns.require(expandScalar(ev, word));
}

/** A unary test on an expanded operand. */
function unary(ev: Evaluator, op: string, operand: string): boolean {
  switch (op) {
    case "-n":
      return operand !== "";
    case "-z":
      return operand === "";
    case "-v":
      return isSet(ev, operand);
  }
  if (FILE_TESTS.has(op)) {
    refuse(`file test ${op}`, `the test ${op} '${operand}' depends on the disk`);
  }
  refuse(`test ${op}`, `the test operator ${op} is not supported`);
}

function isSet(ev: Evaluator, ref: string): boolean {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(ref);
  if (!m) {
    if (/^[0-9]+$/.test(ref)) {
      if (ev.state.positionalUnknown) {
        refuse("-v positional", "testing a positional parameter at the top level");
      }
      return ev.state.positional.length >= Number(ref) && Number(ref) > 0;
    }
    return false;
  }
  const v = ev.readVar(m[1]);
  if (m[2] === undefined) {
    if (!v) return false;
    if (v.kind === "scalar") return true;
    return v.kind === "indexed" ? v.values.has(0) : v.values.has("0");
  }
  if (m[2] === "@" || m[2] === "*") {
    return v !== undefined && (v.kind === "scalar" || v.values.size > 0);
  }
  if (/[`$]/.test(m[2])) refuse("-v", "a -v test with an expanded subscript");
  return elementOf(ev, v, undefined, m[2]) !== undefined;
}

function integerArg(s: string): bigint {
  const t = s.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) {
    refuse("test integer", `'${s}' is not an integer, so test fails with an error`);
  }
  return BigInt.asIntN(64, BigInt(t));
}

function binary(ev: Evaluator, op: string, l: string, r: string, arith: boolean): boolean {
  const num = (s: string) => (arith ? ev.arith(s) : integerArg(s));
  switch (op) {
    case "=":
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case "-eq":
      return num(l) === num(r);
    case "-ne":
      return num(l) !== num(r);
    case "-lt":
      return num(l) < num(r);
    case "-le":
      return num(l) <= num(r);
    case "-gt":
      return num(l) > num(r);
    case "-ge":
      return num(l) >= num(r);
    case "<":
    case ">": {
      // makepkg runs in C.UTF-8 (or C): strings compare by code point
      if (/[\ud800-\udfff]/.test(l + r)) {
        refuse(`string comparison ${op}`, `comparing astral characters with ${op}`);
      }
      return op === "<" ? l < r : l > r;
    }
  }
  refuse(`test ${op}`, `the test operator ${op} is not supported`);
}

/** Translates an ERE (unquoted parts) to a JavaScript regular expression source. */
function ereToJs(ere: string): string {
  let out = "";
  for (let i = 0; i < ere.length; i++) {
    const c = ere[i];
    if (c === "\\") {
      const n = ere[i + 1];
      if (n === undefined) refuse("=~", "a regular expression ending in a backslash");
      if (/[0-9]/.test(n)) refuse("=~", "a back-reference in a regular expression");
      if (n === "<" || n === ">" || n === "`" || n === "'") {
        refuse("=~", `the GNU anchor \\${n} in a regular expression`);
      }
      if (/[A-Za-z]/.test(n) && !"wWsSbB".includes(n)) {
        refuse("=~", `the escape \\${n} in a regular expression`);
      }
      out += c + n;
      i++;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let body = "";
      if (ere[j] === "^") {
        body += "^";
        j++;
      }
      if (ere[j] === "]") {
        body += "\\]";
        j++;
      }
      for (; j < ere.length && ere[j] !== "]"; j++) {
        if (ere[j] === "[" && ere[j + 1] === ":") {
          const end = ere.indexOf(":]", j + 2);
          const cls = end > 0 ? posixClass(ere.slice(j + 2, end)) : undefined;
          if (cls === undefined) {
            refuse("=~", "an unsupported bracket class in a regular expression");
          }
          body += cls;
          j = end + 1;
        } else if (ere[j] === "\\") body += "\\\\";
        else if (ere[j] === "[") body += "\\[";
        else body += ere[j];
      }
      if (j >= ere.length) refuse("=~", "an unterminated bracket expression");
      out += `[${body}]`;
      i = j;
      continue;
    }
    if (c === "{" && !/^\{[0-9]+(,[0-9]*)?\}/.test(ere.slice(i))) {
      out += "\\{";
      continue;
    }
    if (c === "}") {
      out += /\{[0-9]+(,[0-9]*)?$/.test(out) ? "}" : "\\}";
      continue;
    }
    out += c;
  }
  return out;
}

function regexMatch(ev: Evaluator, subject: string, right: Word): boolean {
  const fields = expandParts(ev, right.parts, "pattern");
  let src = "";
  for (const f of fields) {
    for (const s of f) src += s.quoted ? escapeRegExp(s.text) : ereToJs(s.text);
  }
  ev.unknowns.require(subject);
  ev.unknowns.require(src);
  if (/[\u0080-\uffff]/.test(subject + src)) {
    refuse("=~", "a regular expression match on non-ASCII text");
  }
  if (/\([^)]*[*+?}][^)]*\)[*+?{]/.test(src)) {
    refuse("=~", "a regular expression with nested repetition (it could backtrack for too long)");
  }
  let re: RegExp;
  try {
    re = new RegExp(src);
  } catch {
    refuse("=~", "an invalid regular expression");
  }
  const m = re.exec(subject);
  const b = ev.state.bindingForWrite("BASH_REMATCH");
  if (!m) {
    b.value = { kind: "indexed", values: new Map() };
    return false;
  }
  if (src.includes("|") || /[*+?}]\??\)?[*+?]/.test(src)) {
    ev.forbidden.add("BASH_REMATCH");
  } else ev.forbidden.delete("BASH_REMATCH");
  b.value = { kind: "indexed", values: new Map(m.map((g, i) => [i, g ?? ""])) };
  return true;
}

/** The `test` / `[` builtin over expanded arguments; returns the exit status. */
export function testBuiltin(ev: Evaluator, args: string[]): number {
  try {
    return testArgs(ev, args) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestSyntax) refuse("test syntax", `test fails: ${e.message}`);
    throw e;
  }
}

class TestSyntax extends Error {}

/** `test`'s binary operators: those of `[[ ]]` but `=~`. */
const TEST_BINARY_OPERATORS: ReadonlySet<string> = new Set(
  [...BINARY_TEST_OPERATORS].filter((op) => op !== "=~"),
);

function testArgs(ev: Evaluator, a: string[]): boolean {
  const unaryOps = /^-[a-zA-Z]$/;
  const binOps = TEST_BINARY_OPERATORS;
  switch (a.length) {
    case 0:
      return false;
    case 1:
      return a[0] !== "";
    case 2:
      if (a[0] === "!") return a[1] === "";
      if (unaryOps.test(a[0])) return unary(ev, a[0], a[1]);
      throw new TestSyntax(`unexpected '${a[0]}'`);
    case 3:
      if (binOps.has(a[1])) return binary(ev, a[1], a[0], a[2], false);
      if (a[0] === "!") return !testArgs(ev, a.slice(1));
      if (a[0] === "(" && a[2] === ")") return a[1] !== "";
      if (a[1] === "-a" || a[1] === "-o") {
        return a[1] === "-a" ? a[0] !== "" && a[2] !== "" : a[0] !== "" || a[2] !== "";
      }
      throw new TestSyntax(`unexpected '${a[1]}'`);
    case 4:
      if (a[0] === "!") return !testArgs(ev, a.slice(1));
      if (a[0] === "(" && a[3] === ")") return testArgs(ev, a.slice(1, 3));
  }
  refuse("test with many arguments", "test/[ with more than four arguments (-a/-o precedence)");
}
