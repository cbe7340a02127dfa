/**
 * The string operations of parameter expansion that take a pattern:
 * prefix and suffix removal (`#`, `##`, `%`, `%%`), pattern substitution
 * (`/`, `//`, `/#`, `/%`, with bash 5.2's `patsub_replacement`), and case
 * modification (`^`, `^^`, `,`, `,,`, `~`, `~~`), each with bash's choice of
 * shortest or longest match.
 *
 * @module
 */

import type { Budget } from "../eval/refusal.ts";
import { refuse } from "../eval/refusal.ts";
import { checkLocale, compilePattern, testFull } from "./pattern.ts";

/** Removes the shortest (or longest) prefix of `s` matching `pattern`. */
export function removePrefix(
  s: string,
  pattern: string,
  longest: boolean,
  extglob: boolean,
  budget: Budget,
): string {
  return removeAffix(s, pattern, longest, extglob, budget, "prefix");
}

/** Removes the shortest (or longest) suffix of `s` matching `pattern`. */
export function removeSuffix(
  s: string,
  pattern: string,
  longest: boolean,
  extglob: boolean,
  budget: Budget,
): string {
  return removeAffix(s, pattern, longest, extglob, budget, "suffix");
}

/**
 * `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`: tries the affixes of `s` from
 * the shortest (or the longest) and removes the first one `pattern` matches.
 */
function removeAffix(
  s: string,
  pattern: string,
  longest: boolean,
  extglob: boolean,
  budget: Budget,
  side: "prefix" | "suffix",
): string {
  const c = compilePattern(pattern, extglob);
  checkLocale(c, s);
  const prefix = side === "prefix";
  if (!c.hasWildcards) {
    if (prefix) return s.startsWith(c.literal) ? s.slice(c.literal.length) : s;
    return s.endsWith(c.literal) ? s.slice(0, s.length - c.literal.length) : s;
  }
  budget.step(s.length + 1);
  for (let k = 0; k <= s.length; k++) {
    const size = longest ? s.length - k : k;
    budget.step(1 + (size >> 4));
    const affix = prefix ? s.slice(0, size) : s.slice(s.length - size);
    if (testFull(c, affix)) return prefix ? s.slice(size) : s.slice(0, s.length - size);
  }
  return s;
}

/** Where `${v/pat/rep}` may match: anywhere (first or all), or anchored at the start or end. */
export type SubstMode = "first" | "all" | "prefix" | "suffix";

/**
 * A replacement string: `parts` alternate literal text and, with
 * `patsub_replacement` on, the matched text (`&`).
 */
export type Replacement = readonly (string | { readonly match: true })[];

function render(rep: Replacement, matched: string): string {
  let out = "";
  for (const part of rep) out += typeof part === "string" ? part : matched;
  return out;
}

/** Finds the longest match of `c` starting at `i`; returns its end or -1. */
function longestAt(
  s: string,
  i: number,
  test: (t: string) => boolean,
  budget: Budget,
): number {
  for (let j = s.length; j >= i; j--) {
    budget.step(1 + ((j - i) >> 4));
    if (test(s.slice(i, j))) return j;
  }
  return -1;
}

/** Applies `${s/pattern/rep}` in `mode`. */
export function substitute(
  s: string,
  pattern: string,
  rep: Replacement,
  mode: SubstMode,
  extglob: boolean,
  budget: Budget,
): string {
  const c = compilePattern(pattern, extglob);
  checkLocale(c, s);
  const test = c.hasWildcards ? (t: string) => testFull(c, t) : (t: string) => t === c.literal;
  if (mode === "prefix") {
    for (let j = s.length; j >= 0; j--) {
      budget.step(1 + (j >> 4));
      if (test(s.slice(0, j))) return render(rep, s.slice(0, j)) + s.slice(j);
    }
    return s;
  }
  if (mode === "suffix") {
    for (let i = 0; i <= s.length; i++) {
      budget.step(1 + ((s.length - i) >> 4));
      if (test(s.slice(i))) return s.slice(0, i) + render(rep, s.slice(i));
    }
    return s;
  }
  if (pattern === "") return s;
  budget.step(1 + (s.length >> 6));
  let out = "";
  let i = 0;
  while (i <= s.length) {
    let end: number;
    if (!c.hasWildcards) {
      const k = s.indexOf(c.literal, i);
      if (k < 0) break;
      out += s.slice(i, k);
      i = k;
      end = k + c.literal.length;
    } else {
      end = longestAt(s, i, test, budget);
      if (end < 0) {
        if (i < s.length) out += s[i];
        i++;
        continue;
      }
    }
    if (end === i) {
      refuse("pattern substitution", "a pattern that matches the empty string inside ${v/...}");
    }
    out += render(rep, s.slice(i, end));
    budget.str(out);
    i = end;
    if (mode === "first") return out + s.slice(i);
  }
  return out + s.slice(Math.min(i, s.length));
}

/** The case operators of `${v^}`, `${v^^}`, `${v,}`, `${v,,}`, `${v~}`, `${v~~}`. */
export type CaseOp = "^" | "^^" | "," | ",," | "~" | "~~";

/** Applies a case modification to the characters of `s` that match `pattern` (default `?`). */
export function modifyCase(s: string, op: CaseOp, pattern: string, extglob: boolean): string {
  if (/[\u0080-\uffff]/.test(s)) {
    refuse(
      "case modification of non-ASCII text",
      "case modification of non-ASCII text depends on the locale",
    );
  }
  const c = pattern === "" ? undefined : compilePattern(pattern, extglob);
  const matches = (ch: string) =>
    c === undefined ? true : c.hasWildcards ? testFull(c, ch) : c.literal === ch;
  const conv = (ch: string): string => {
    if (op[0] === "^") return ch.toUpperCase();
    if (op[0] === ",") return ch.toLowerCase();
    return ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
  };
  const all = op.length === 2;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if ((all || i === 0) && matches(ch)) out += conv(ch);
    else out += ch;
  }
  return out;
}
