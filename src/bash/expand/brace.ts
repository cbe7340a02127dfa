/**
 * Brace expansion (`{a,b}`, `{1..10}`, `{01..10..3}`, `{a..e}`), a port of
 * bash 5.2's `braces.c` over a word's parts: the characters of unquoted
 * literals take part, quoted text and expansions are opaque.
 *
 * @module
 */

import type { LiteralPart, Word, WordPart } from "../parse/ast.ts";
import { type Budget, refuse } from "../eval/refusal.ts";

type Item = { ch: string; part?: undefined } | { ch?: undefined; part: WordPart };

function toItems(word: Word): Item[] {
  const items: Item[] = [];
  for (const part of word.parts) {
    if (part.type === "literal" && !part.quoted) {
      for (const ch of part.value) items.push({ ch });
    } else items.push({ part });
  }
  return items;
}

function toWord(items: Item[], template: Word): Word {
  const parts: WordPart[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") {
      const lit: LiteralPart = { type: "literal", value: text, quoted: false, pos: template.pos };
      parts.push(lit);
      text = "";
    }
  };
  for (const it of items) {
    if (it.ch !== undefined) text += it.ch;
    else {
      flush();
      parts.push(it.part);
    }
  }
  flush();
  return { ...template, parts };
}

/** True when the word has an unquoted `{`, so brace expansion might apply. */
export function mayBraceExpand(word: Word): boolean {
  return word.parts.some((p) => p.type === "literal" && !p.quoted && p.value.includes("{"));
}

/** Brace-expands `word` into one or more words, as bash does before other expansions. */
export function braceExpand(word: Word, budget: Budget): Word[] {
  if (!mayBraceExpand(word)) return [word];
  const out = expand(toItems(word), budget);
  budget.words(out.length);
  if (out.length > 1) {
    for (const items of out) {
      for (let i = 0; i + 1 < items.length; i++) {
        const p = items[i].part;
        const next = items[i + 1].ch;
        if (
          p?.type === "param" && !p.braced && /^[A-Za-z_]/.test(p.name) && next !== undefined &&
          /[A-Za-z0-9_]/.test(next)
        ) {
          refuse("brace expansion", `brace expansion joins $${p.name} with the text after it`);
        }
      }
    }
  }
  return out.map((items) => toWord(items, word));
}

/** Finds `satisfy` from `i` at nesting level 0; returns its index or -1. */
function gobble(items: Item[], i: number, satisfy: string): number {
  let level = 0;
  let commas = satisfy === "}" ? 0 : 1;
  for (; i < items.length; i++) {
    const c = items[i].ch;
    if (c === undefined) continue;
    if (c === satisfy && level === 0) {
      if (c === "{" && i === 0 && items[1]?.ch === "}") continue;
      if (satisfy === "}" && commas === 0) return -1;
      return i;
    }
    if (c === "{") level++;
    else if (c === "}" && level > 0) level--;
    else if (satisfy === "}" && level === 0) {
      if (c === ",") commas++;
      else if (c === "." && items[i + 1]?.ch === "." && items[i + 2]?.ch !== "}") commas++;
    }
  }
  return -1;
}

function cross(a: Item[][], b: Item[][], budget: Budget): Item[][] {
  budget.words(a.length * b.length);
  const out: Item[][] = [];
  for (const x of a) for (const y of b) out.push([...x, ...y]);
  budget.step(out.length);
  return out;
}

function expand(items: Item[], budget: Budget): Item[][] {
  budget.step();
  let i = 0;
  let close = -1;
  for (;;) {
    while (i < items.length && items[i].ch !== "{") i++;
    if (i >= items.length) return [items];
    if (i === 0 && items[1]?.ch === "}") {
      i++;
      continue;
    }
    close = gobble(items, i + 1, "}");
    if (close >= 0) break;
    i++;
  }
  const preamble = items.slice(0, i);
  const amble = items.slice(i + 1, close);
  const post = items.slice(close + 1);
  let tack: Item[][];
  if (amble.some((it) => it.ch === ",")) {
    tack = [];
    let start = 0;
    for (;;) {
      const comma = gobble(amble, start, ",");
      const end = comma < 0 ? amble.length : comma;
      tack.push(...expand(amble.slice(start, end), budget));
      budget.words(tack.length);
      if (comma < 0) break;
      start = comma + 1;
    }
  } else {
    const seq = sequence(amble, budget);
    if (seq) tack = seq.map((s) => [...s].map((ch) => ({ ch })));
    else if (post.length > 0) tack = [items.slice(i, close + 1)];
    else return [items];
  }
  let result = cross([preamble], tack, budget);
  if (post.length > 0) result = cross(result, expand(post, budget), budget);
  return result;
}

const INT = /^[+-]?[0-9]+$/;

/** Expands a sequence expression `x..y[..incr]`; undefined when the amble is not one. */
function sequence(amble: Item[], budget: Budget): string[] | undefined {
  if (amble.some((it) => it.ch === undefined)) return undefined;
  const text = amble.map((it) => it.ch).join("");
  const dots = text.indexOf("..");
  if (dots < 0) return undefined;
  const lhs = text.slice(0, dots);
  const rest = text.slice(dots + 2);
  if (lhs === "" || rest === "") return undefined;
  const m = /^([+-]?[0-9]+|[A-Za-z])(?:\.\.([+-]?[0-9]+))?$/.exec(rest);
  if (!m) return undefined;
  const rhs = m[1];
  const incrText = m[2];
  const lhsInt = INT.test(lhs);
  const rhsInt = INT.test(rhs);
  const lhsChar = /^[A-Za-z]$/.test(lhs);
  if (!((lhsInt && rhsInt) || (lhsChar && !rhsInt))) return undefined;
  for (const t of [lhs, rhs, incrText ?? "0"]) {
    if (lhsInt && t.replace(/^[+-]?0*/, "").length > 15) {
      refuse("brace expansion", "a brace sequence with numbers this large");
    }
  }
  let incr = incrText === undefined ? 1 : Number(incrText);
  if (lhsChar) {
    const a = lhs.charCodeAt(0);
    const b = rhs.charCodeAt(0);
    return numbers(a, b, incr, budget).map((n) => {
      const ch = String.fromCharCode(n);
      if (!/[A-Za-z0-9]/.test(ch)) {
        refuse("brace expansion", "a letter sequence that spans non-alphanumeric characters");
      }
      return ch;
    });
  }
  const a = Number(lhs);
  const b = Number(rhs);
  let width = 0;
  let zero = false;
  const widthOf = (t: string) => {
    if ((t.length > 1 && t[0] === "0") || (t.length > 2 && t[0] === "-" && t[1] === "0")) {
      if (width < t.length) width = t.length;
      zero = true;
    }
  };
  widthOf(lhs);
  widthOf(rhs);
  if (zero) width = Math.max(width, lhs.length, rhs.length);
  if (lhs[0] === "+" || rhs[0] === "+") {
    refuse("brace expansion", "a brace sequence with an explicit + sign");
  }
  if (incr === 0) incr = 1;
  return numbers(a, b, incr, budget).map((n) => {
    if (!zero) return String(n);
    const abs = String(Math.abs(n));
    return n < 0 ? "-" + abs.padStart(width - 1, "0") : abs.padStart(width, "0");
  });
}

function numbers(a: number, b: number, incr: number, budget: Budget): number[] {
  let step = Math.abs(incr) || 1;
  if (a > b) step = -step;
  const count = Math.floor(Math.abs(b - a) / Math.abs(step)) + 1;
  budget.words(count);
  budget.step(count);
  const out: number[] = [];
  for (let k = 0, n = a; k < count; k++, n += step) out.push(n);
  return out;
}
