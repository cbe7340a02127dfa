/**
 * Word expansion in bash's order: brace expansion, then parameter,
 * arithmetic and command substitution (left to right), word splitting on
 * IFS, pathname expansion (refused: it depends on the files next to the
 * PKGBUILD) and quote removal (done by the parser). Three contexts:
 * argument lists (split and globbed), scalars (assignment values, `case`
 * words, `[[ ]]` operands) and patterns (quoted text escaped).
 *
 * @module
 */

import type { Word, WordPart } from "../parse/ast.ts";
import { braceExpand } from "./brace.ts";
import { expandParam } from "./parameter.ts";
import type { EvalContext } from "../eval/context.ts";
import { refuse } from "../eval/refusal.ts";
import { compilePattern, quotePattern } from "./pattern.ts";
import { firstUnknown, hasUnknown } from "../eval/unknown.ts";

/** A run of expanded text with how it came to be. */
export interface Seg {
  /** The text. */
  text: string;
  /** Quoted (never split, never a glob). */
  quoted: boolean;
  /** From an unquoted expansion (split on IFS). Unquoted literals have `quoted` and `split` false. */
  split: boolean;
}

/** One field before word splitting: segments that concatenate. */
export type Field = Seg[];

/** How a word is being expanded. */
export type ExpandMode = "list" | "scalar" | "pattern";

/** The value of IFS (bash's default when unset). */
export function ifsOf(ec: EvalContext): string {
  const found = ec.state.lookup("IFS")?.variable;
  if (found?.unknownCause !== undefined) ec.unknowns.require(found.unknownCause);
  const v = found?.value;
  if (!v) return " \t\n";
  return v.kind === "scalar" ? ec.unknowns.require(v.value) : "";
}

/** Appends `more` fields to `acc`: the first joins the last field of `acc`. */
export function appendFields(acc: Field[], more: Field[]): void {
  if (more.length === 0) return;
  acc[acc.length - 1].push(...more[0]);
  for (let i = 1; i < more.length; i++) acc.push([...more[i]]);
}

/** Expands the parts of a word into fields (before splitting). */
export function expandParts(
  ec: EvalContext,
  parts: readonly WordPart[],
  mode: ExpandMode,
): Field[] {
  const acc: Field[] = [[]];
  for (const part of parts) {
    ec.budget.step();
    switch (part.type) {
      case "literal":
        acc[acc.length - 1].push({ text: part.value, quoted: part.quoted, split: false });
        break;
      case "param":
        appendFields(acc, expandParam(ec, part, mode));
        break;
      case "commandSub": {
        const out = ec.commandSubstitution(part.script, part.pos.line).replace(/\n+$/, "");
        acc[acc.length - 1].push({
          text: ec.budget.str(out),
          quoted: part.quoted,
          split: !part.quoted,
        });
        break;
      }
      case "arith": {
        const text = expandScalar(ec, part.expr);
        const v = ec.arith(text).toString();
        acc[acc.length - 1].push({ text: v, quoted: part.quoted, split: !part.quoted });
        break;
      }
      case "processSub":
        refuse("process substitution", "process substitution runs commands");
        break;
      case "tilde": {
        // a home directory that depends on the machine: an unknown value, never split or globbed
        const reason =
          `the unquoted ~${part.user} expands to a home directory that depends on the machine`;
        const text = ec.unknowns.value("tilde expansion", reason, ec.line);
        acc[acc.length - 1].push({ text, quoted: true, split: false });
      }
    }
  }
  return acc;
}

/** Joins fields into one string (scalar context: `"$@"` joins with spaces). */
export function joinFields(fields: Field[]): string {
  return fields.map((f) => f.map((s) => s.text).join("")).join(" ");
}

/** Expands a word to one string, without splitting or globbing. */
export function expandScalar(ec: EvalContext, word: Word): string {
  return ec.budget.str(joinFields(expandParts(ec, word.parts, "scalar")));
}

/** Expands a word to a pattern: quoted text escaped, unquoted text active. */
export function expandPattern(ec: EvalContext, word: Word): string {
  const fields = expandParts(ec, word.parts, "pattern");
  const pattern = fields.map((f) =>
    f.map((s) => (s.quoted ? quotePattern(s.text) : s.text)).join("")
  )
    .join(" ");
  return ec.unknowns.require(pattern);
}

/**
 * Expands a word as a command argument or array element: brace, split,
 * (refused) glob. Splitting an unknown value (and dropping an empty field,
 * or globbing) looks at its text: refused, unless `onUnknownFields` takes
 * the unknown (the caller then treats the whole list as unknown; the field
 * is kept as one word so the other expansions still run in order).
 */
export function expandList(
  ec: EvalContext,
  word: Word,
  onUnknownFields?: (unknown: string) => void,
): string[] {
  const out: string[] = [];
  for (const w of braceExpand(word, ec.budget)) {
    const fields = expandParts(ec, w.parts, "list");
    const ifs = ifsOf(ec);
    for (const f of fields) {
      const unknown = f.find((s) => s.split && hasUnknown(s.text))?.text;
      if (unknown !== undefined) {
        const token = firstUnknown(unknown);
        if (!onUnknownFields || token === undefined) ec.unknowns.require(unknown);
        onUnknownFields?.(token as string);
        out.push(f.map((s) => s.text).join(""));
        continue;
      }
      for (const split of splitField(f, ifs)) {
        checkGlob(ec, split);
        out.push(split.map((s) => s.text).join(""));
      }
    }
    ec.budget.words(out.length);
  }
  return out;
}

/** Expands several words as a list. */
export function expandWords(ec: EvalContext, words: readonly Word[]): string[] {
  const out: string[] = [];
  for (const w of words) out.push(...expandList(ec, w));
  return out;
}

function checkGlob(ec: EvalContext, field: Field): void {
  if (ec.state.options.noglob) return;
  let pat = "";
  let active = false;
  for (const s of field) {
    if (s.quoted) pat += quotePattern(s.text);
    else {
      pat += s.text;
      if (/[*?[]/.test(s.text) || (ec.state.options.extglob && /[?*+@!]\(/.test(s.text))) {
        active = true;
      }
    }
  }
  if (!active) return;
  if (ec.state.options.nullglob) {
    refuse(
      "pathname expansion",
      "an unquoted glob with nullglob on depends on the files next to the script",
    );
  }
  // A file name with `=` next to a PKGBUILD is not plausible: `let x=a*2` keeps its text.
  if (field.some((s) => !s.quoted && !s.split && /^[A-Za-z_][A-Za-z0-9_]*=/.test(s.text))) return;
  // Nor is a directory whose name ends in `:` (`https:`): `https://host/f?x=1` stays as it is.
  const firstDir = pat.split("/")[0];
  if (pat.includes("/") && firstDir.endsWith(":") && !/[*?[]/.test(firstDir)) return;
  if (compilePattern(pat, ec.state.options.extglob).hasWildcards) {
    const shown = field.map((s) => s.text).join("");
    refuse(
      "pathname expansion",
      `the unquoted glob '${shown}' expands to the names of files next to the script`,
    );
  }
}

type Prev = "start" | "field" | "white" | "nonwhite";

/** Splits a field on IFS (POSIX rules), keeping quoting marks on the pieces. */
export function splitField(field: Field, ifs: string): Field[] {
  const out: Field[] = [];
  let cur: Field = [];
  let started = false;
  let prev: Prev = "start";
  const push = () => {
    out.push(cur);
    cur = [];
    started = false;
  };
  for (const seg of field) {
    if (!seg.split || ifs === "") {
      if (seg.text !== "" || seg.quoted) {
        cur.push(seg);
        started = true;
        prev = "field";
      }
      continue;
    }
    let text = "";
    const flushText = () => {
      if (text !== "") cur.push({ text, quoted: false, split: true });
      text = "";
    };
    for (const c of seg.text) {
      if (!ifs.includes(c)) {
        text += c;
        started = true;
        prev = "field";
        continue;
      }
      const white = c === " " || c === "\t" || c === "\n";
      if (white) {
        if (prev === "field") {
          flushText();
          push();
          prev = "white";
        }
      } else {
        if (prev === "field") {
          flushText();
          push();
        } else if (prev === "nonwhite" || prev === "start") {
          push();
        }
        prev = "nonwhite";
      }
    }
    flushText();
  }
  if (started || prev === "field") out.push(cur);
  return out;
}
