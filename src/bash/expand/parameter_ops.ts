/**
 * The operators of parameter expansion that rewrite the value in place:
 * substrings and array slices (`${v:o:l}`) and the `@` transformations.
 *
 * @module
 */

import type { ParamPart, Word } from "../parse/ast.ts";
import type { EvalContext } from "../eval/context.ts";
import { refuse } from "../eval/refusal.ts";
import type { VarValue } from "../eval/state.ts";
import { expandParts } from "./word.ts";

/** The value a parameter names before its operator applies. */
export interface Base {
  /** The elements (one for a scalar). */
  values: string[];
  /** Whether the parameter is set. */
  set: boolean;
  /** `@`-style list (`$@`, `${a[@]}`): elements stay separate fields. */
  list: boolean;
  /** `*`-style list: elements join with the first IFS character when quoted. */
  star: boolean;
  /** The variable name, for assignments (`${x:=w}`). */
  name?: string;
  /** The array kind of the variable, for subscripts in slices. */
  array?: VarValue;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Refuses `what` on non-ASCII text (its result would depend on the locale). */
export function refuseNonAscii(s: string, what: string): void {
  if (NON_ASCII.test(s)) {
    refuse(`${what} of non-ASCII text`, `${what} of non-ASCII text depends on the locale`);
  }
}

/** Expands one parameter part into fields. */
/** The word expanded as one string (its fields joined with spaces). */
export function joinScalar(ec: EvalContext, word: Word): string {
  return expandParts(ec, word.parts, "scalar").map((f) => f.map((s) => s.text).join("")).join(" ");
}

/** `${v:offset:length}` on a scalar or a list. */
export function applySubstring(
  ec: EvalContext,
  base: Base,
  offsetWord: Word,
  lengthWord: Word | undefined,
  part: ParamPart,
): void {
  const off = Number(ec.arith(joinScalar(ec, offsetWord)));
  const len = lengthWord === undefined ? undefined : Number(ec.arith(joinScalar(ec, lengthWord)));
  if (base.list) {
    if (/^[@*]$/.test(part.name) && off <= 0) {
      refuse("${@:0}", `\${@:0} includes $0, ${ec.profile.host}'s path`);
    }
    if (len !== undefined && len < 0) {
      refuse("substring expression < 0", "a negative array slice length");
    }
    let entries: [number, string][];
    if (base.array?.kind === "indexed") {
      entries = [...base.array.values.entries()].sort((a, b) => a[0] - b[0]);
    } else if (base.array?.kind === "assoc") {
      refuse("associative array slice", "a slice of an associative array");
    } else {
      entries = base.values.map((v, i) => [i + (/^[@*]$/.test(part.name) ? 1 : 0), v]);
    }
    let start = off;
    if (start < 0) {
      const max = entries.length ? entries[entries.length - 1][0] : -1;
      start = max + 1 + start;
      if (start < 0) {
        base.values = [];
        return;
      }
    }
    const sel = entries.filter((e) => e[0] >= start).map((e) => e[1]);
    base.values = len === undefined ? sel : sel.slice(0, len);
    return;
  }
  const s = base.values[0] ?? "";
  refuseNonAscii(s, "a substring");
  let start = off < 0 ? s.length + off : off;
  if (start < 0 || start > s.length) {
    base.values = [""];
    return;
  }
  let end = s.length;
  if (len !== undefined) {
    end = len < 0 ? s.length + len : Math.min(s.length, start + len);
    if (end < start) refuse("substring expression < 0", "bash fails: substring expression < 0");
  }
  start = Math.max(0, start);
  base.values = [s.slice(start, end)];
}

function quoteQ(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(s)) refuse("${v@Q}", "${v@Q} of text with control characters");
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** `${v@Q}`, `${v@U}`, `${v@u}`, `${v@L}`. */
export function applyTransform(base: Base, op: string): void {
  switch (op) {
    case "Q":
      base.values = base.set || base.list ? base.values.map(quoteQ) : [];
      if (!base.list && base.values.length === 0) base.values = [""];
      return;
    case "U":
    case "u":
    case "L":
      base.values = base.values.map((v) => {
        refuseNonAscii(v, "case modification");
        if (op === "U") return v.toUpperCase();
        if (op === "L") return v.toLowerCase();
        return v.slice(0, 1).toUpperCase() + v.slice(1);
      });
      return;
  }
  refuse(`\${v@${op}}`, `the transformation @${op} is not supported`);
}
