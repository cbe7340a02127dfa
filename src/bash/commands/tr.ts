/**
 * coreutils' `tr`, run by the evaluator on standard input, as GNU tr does in
 * the C locale: translation (`SET1 SET2`, SET2 padded with its last
 * character, `-t`), `-d`, `-s`, `-ds`, `-c`/`-C`; sets with escapes
 * (`\n`, `\\`, `\NNN`), ranges, the twelve `[:class:]`es, `[=c=]` and
 * `[c*n]`/`[c*]` repeats. What GNU tr rejects, non-ASCII sets, and non-ASCII
 * input with `-c` (which would split UTF-8 bytes) are refused.
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";
import { hasOption, isAscii, type OptionSpec, parseArgs, takeStdin } from "./_text_input.ts";
import { POSIX_CLASS_TESTS } from "../expand/posix_classes.ts";

const SPEC: OptionSpec = {
  short: "cCdst",
  valued: [],
  long: {
    complement: "c",
    delete: "d",
    "squeeze-repeats": "s",
    "truncate-set1": "t",
  },
  permute: false,
};

/** One element of a set: plain characters, a class, an equivalence class or a repeat. */
type Element =
  | { kind: "chars"; codes: number[] }
  | { kind: "class"; name: string; codes: number[] }
  | { kind: "equiv"; codes: number[] }
  | { kind: "repeat"; code: number; count: number | undefined };

/** A character of a set operand after backslash escapes, and whether it was escaped. */
interface Unit {
  code: number;
  escaped: boolean;
}

const CLASSES = POSIX_CLASS_TESTS;

const CASE_CLASSES = ["upper", "lower"];

const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** Applies tr's backslash escapes to a set operand. */
export function unescapeSet(operand: string): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < operand.length; i++) {
    const ch = operand[i];
    if (ch !== "\\" || i + 1 === operand.length) {
      units.push({ code: ch.charCodeAt(0), escaped: false });
      continue;
    }
    const next = operand[++i];
    if (next in ESCAPES) units.push({ code: ESCAPES[next], escaped: true });
    else if (next >= "0" && next <= "7") {
      let code = Number(next);
      for (let d = 0; d < 2 && /[0-7]/.test(operand[i + 1] ?? ""); d++) {
        const wider = code * 8 + Number(operand[i + 1]);
        if (wider > 255) break;
        code = wider;
        i++;
      }
      units.push({ code, escaped: true });
    } else units.push({ code: next.charCodeAt(0), escaped: true });
  }
  return units;
}

function is(u: Unit | undefined, ch: string): boolean {
  return u !== undefined && !u.escaped && u.code === ch.charCodeAt(0);
}

/** Parses a set operand into its elements, as GNU tr's build_spec_list. */
export function parseSet(operand: string): Element[] {
  const units = unescapeSet(operand);
  for (const u of units) {
    if (u.code > 127) {
      refuse(
        "tr with a non-ASCII set",
        "tr with a non-ASCII set depends on the locale and is not supported",
      );
    }
  }
  const elements: Element[] = [];
  let i = 0;
  while (i + 2 < units.length) {
    if (is(units[i], "[")) {
      const bracket = parseBracket(units, i);
      if (bracket) {
        elements.push(bracket.element);
        i = bracket.next;
        continue;
      }
    }
    if (is(units[i + 1], "-")) {
      const [lo, hi] = [units[i].code, units[i + 2].code];
      if (hi < lo) {
        refuse("tr range", `the tr range '${operand}' is in reverse order; tr fails on it`);
      }
      elements.push({
        kind: "chars",
        codes: Array.from({ length: hi - lo + 1 }, (_, k) => lo + k),
      });
      i += 3;
      continue;
    }
    elements.push({ kind: "chars", codes: [units[i++].code] });
  }
  for (; i < units.length; i++) elements.push({ kind: "chars", codes: [units[i].code] });
  return elements;
}

/** `[:class:]`, `[=c=]` or `[c*n]` at `i`, or undefined when `[` is a plain character there. */
function parseBracket(units: Unit[], i: number): { element: Element; next: number } | undefined {
  const text = (from: number, to: number) =>
    String.fromCharCode(...units.slice(from, to).map((u) => u.code));
  const delim = units[i + 1];
  if (is(delim, ":") || is(delim, "=")) {
    const d = String.fromCharCode(delim.code);
    for (let j = i + 2; j + 1 < units.length; j++) {
      if (!is(units[j], d) || !is(units[j + 1], "]")) continue;
      const name = text(i + 2, j);
      if (d === ":") {
        const member = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
        if (!member) refuse(`tr [:${name}:]`, `tr fails on the character class '[:${name}:]'`);
        const codes = Array.from({ length: 128 }, (_, c) => c).filter(member);
        return { element: { kind: "class", name, codes }, next: j + 2 };
      }
      if (j - (i + 2) !== 1) refuse(`tr [=${name}=]`, `tr fails on '[=${name}=]'`);
      return { element: { kind: "equiv", codes: [units[i + 2].code] }, next: j + 2 };
    }
  }
  if (!is(units[i + 2], "*")) return undefined;
  for (let j = i + 3; j < units.length && !units[j].escaped; j++) {
    if (units[j].code !== 93) continue;
    const digits = text(i + 3, j);
    if (!/^\d*$/.test(digits) || (digits.startsWith("0") && !/^[0-7]+$/.test(digits))) {
      refuse(`tr [c*${digits}]`, `tr fails on the repeat count '${digits}'`);
    }
    const n = digits === "" ? 0 : parseInt(digits, digits.startsWith("0") ? 8 : 10);
    return {
      element: { kind: "repeat", code: units[i + 1].code, count: n || undefined },
      next: j + 1,
    };
  }
  return undefined;
}

function codesOf(elements: Element[], fill = 0): number[] {
  return elements.flatMap((e) =>
    e.kind === "repeat" ? new Array<number>(e.count ?? fill).fill(e.code) : e.codes
  );
}

function complementOf(codes: number[]): number[] {
  const set = new Set(codes);
  return Array.from({ length: 256 }, (_, c) => c).filter((c) => !set.has(c));
}

/** The character codes of SET1, complemented with `-c`; repeats are refused there. */
function firstSet(operand: string, complement: boolean): number[] {
  const elements = parseSet(operand);
  if (elements.some((e) => e.kind === "repeat")) {
    refuse("tr [c*n] in SET1", "tr fails on a [c*] repeat in its first set");
  }
  const codes = codesOf(elements);
  return complement ? complementOf(codes) : codes;
}

/** SET1 -> SET2 as GNU tr builds its translation table; what tr rejects is refused. */
export function translationTable(
  set1: string,
  set2: string,
  opts: { complement: boolean; truncate: boolean },
): Map<number, number> {
  const from = firstSet(set1, opts.complement);
  const elements = parseSet(set2);
  for (const e of elements) {
    if ((e.kind === "class" && !CASE_CLASSES.includes(e.name)) || e.kind === "equiv") {
      refuse("tr class in SET2", "tr fails on a class other than [:upper:] or [:lower:] in SET2");
    }
    if (e.kind === "class" && opts.complement) {
      refuse("tr -c with a class in SET2", "tr -c with a class in SET2 is not supported");
    }
  }
  const fills = elements.filter((e) => e.kind === "repeat" && e.count === undefined).length;
  if (fills > 1) refuse("tr [c*] twice", "tr fails on two [c*] repeats in SET2");
  const fill = Math.max(0, from.length - codesOf(elements).length);
  const to = codesOf(elements, fill);
  checkCaseClasses(parseSet(set1), elements, fill);
  if (to.length === 0 && from.length > 0 && !opts.truncate) {
    refuse("tr with an empty SET2", "tr fails when SET2 is empty and -t is not given");
  }
  if (from.length > to.length && !opts.truncate) {
    if (elements.at(-1)?.kind === "class") {
      refuse("tr SET2 ending in a class", "tr fails when a shorter SET2 ends with a class");
    }
    to.push(...new Array<number>(from.length - to.length).fill(to[to.length - 1]));
  }
  const table = new Map<number, number>();
  for (let k = 0; k < Math.min(from.length, to.length); k++) table.set(from[k], to[k]);
  return table;
}

/** Each [:upper:]/[:lower:] of SET2 must start where one of SET1 starts ("misaligned" otherwise). */
function checkCaseClasses(set1: Element[], set2: Element[], fill: number): void {
  const starts1 = new Map<number, Element>();
  let at = 0;
  for (const e of set1) {
    starts1.set(at, e);
    at += codesOf([e]).length;
  }
  at = 0;
  for (const e of set2) {
    const paired = starts1.get(at);
    if (e.kind === "class" && !(paired?.kind === "class" && CASE_CLASSES.includes(paired.name))) {
      refuse("tr misaligned classes", "tr fails on a misaligned [:upper:] or [:lower:] in SET2");
    }
    at += codesOf([e], fill).length;
  }
}

/** Runs `tr` on standard input. */
export function trCommand(ev: Evaluator, args: string[]): number {
  const parsed = parseArgs("tr", args, SPEC);
  const complement = hasOption(parsed, "c") || hasOption(parsed, "C");
  const del = hasOption(parsed, "d");
  const squeeze = hasOption(parsed, "s");
  const sets = parsed.operands;
  const wanted = del && squeeze ? [2] : del ? [1] : squeeze ? [1, 2] : [2];
  if (!wanted.includes(sets.length)) {
    refuse("tr operands", `tr with ${sets.length} set(s) and these options fails`);
  }
  const input = takeStdin(ev, "tr");
  if (complement && !isAscii(input)) {
    refuse(
      "tr -c on non-ASCII text",
      "tr -c on non-ASCII input splits its UTF-8 bytes and is not supported",
    );
  }
  let text = input;
  if (del) {
    const gone = new Set(firstSet(sets[0], complement));
    text = [...text].filter((ch) => !gone.has(ch.charCodeAt(0))).join("");
  } else if (sets.length === 2) {
    const table = translationTable(sets[0], sets[1], {
      complement,
      truncate: hasOption(parsed, "t"),
    });
    text = [...text].map((ch) => {
      const to = table.get(ch.charCodeAt(0));
      return to === undefined ? ch : String.fromCharCode(to);
    }).join("");
  }
  if (squeeze) {
    const last = sets.length === 2 ? codesOf(parseSet(sets[1]), 1) : firstSet(sets[0], complement);
    text = squeezeRepeats(text, new Set(last));
  }
  ev.write(text);
  return 0;
}

/** Replaces each run of one character of `set` with a single occurrence. */
function squeezeRepeats(text: string, set: Set<number>): string {
  let out = "";
  for (const ch of text) {
    if (out.length > 0 && out[out.length - 1] === ch && set.has(ch.charCodeAt(0))) continue;
    out += ch;
  }
  return out;
}
