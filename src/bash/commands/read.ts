/**
 * The `read` builtin over the standard input the evaluator models
 * (here-strings, heredocs, pipes from pure commands), with bash's field
 * splitting rules for several names and for `-a`.
 *
 * @module
 */

import { ifsOf, splitField } from "../expand/word.ts";
import { assignValue } from "../eval/assign.ts";
import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";

interface ReadOptions {
  raw: boolean;
  arrayName: string | undefined;
  delim: string;
  names: string[];
}

function parseReadArgs(args: string[]): ReadOptions {
  const o: ReadOptions = { raw: false, arrayName: undefined, delim: "\n", names: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (o.names.length === 0 && /^-[a-zA-Z]+$/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        const takesArg = "adpnNtu".includes(f);
        const val = takesArg ? (k + 1 < a.length ? a.slice(k + 1) : args[++i]) : undefined;
        if (f === "r") o.raw = true;
        else if (f === "s") continue;
        else if (f === "a") o.arrayName = val;
        else if (f === "d") o.delim = (val ?? "").slice(0, 1) || "\0";
        else if (f !== "p") refuse(`read -${f}`, `read -${f} is not supported`);
        if (takesArg) break;
      }
      continue;
    }
    o.names.push(a);
  }
  return o;
}

/** Takes one record off `input`: its text, which characters were backslash-escaped, the rest. */
function takeRecord(input: string, o: ReadOptions) {
  let line = "";
  let found = false;
  const quotedAt = new Set<number>();
  let i = 0;
  for (; i < input.length; i++) {
    const c = input[i];
    if (!o.raw && c === "\\" && i + 1 < input.length) {
      i++;
      if (input[i] === "\n") continue;
      quotedAt.add(line.length);
      line += input[i];
      continue;
    }
    if (c === o.delim) {
      found = true;
      i++;
      break;
    }
    line += c;
  }
  return { line, found, quotedAt, rest: input.slice(i) };
}

/** Assigns `line` to several names: one field each, the remainder to the last. */
function assignNames(ev: Evaluator, names: string[], line: string, ifs: string): void {
  const isWs = (c: string) => (c === " " || c === "\t" || c === "\n") && ifs.includes(c);
  let s = 0;
  while (s < line.length && isWs(line[s])) s++;
  let e = line.length;
  while (e > s && isWs(line[e - 1])) e--;
  let rest = line.slice(s, e);
  for (let n = 0; n < names.length; n++) {
    if (n === names.length - 1) {
      const fields = splitField([{ text: rest, quoted: false, split: true }], ifs);
      const value = fields.length === 1 ? fields[0].map((x) => x.text).join("") : rest;
      assignValue(ev, names[n], { scalar: value }, { append: false, scope: "normal" });
      break;
    }
    let k = 0;
    while (k < rest.length && !ifs.includes(rest[k])) k++;
    const field = rest.slice(0, k);
    // one delimiter: IFS whitespace, at most one non-whitespace IFS character, IFS whitespace
    while (k < rest.length && isWs(rest[k])) k++;
    if (k < rest.length && ifs.includes(rest[k]) && !isWs(rest[k])) k++;
    while (k < rest.length && isWs(rest[k])) k++;
    rest = rest.slice(k);
    assignValue(ev, names[n], { scalar: field }, { append: false, scope: "normal" });
  }
}

/** `read [-r] [-a name] [-d delim] [-p prompt] [-s] [name...]` from the command's standard input. */
export function readBuiltin(ev: Evaluator, args: string[]): number {
  const o = parseReadArgs(args);
  const input = ev.stdin;
  if (input === undefined) {
    refuse(
      "read from standard input",
      `read reads ${ev.profile.host}'s standard input (use a here-string)`,
    );
  }
  const { line, found, quotedAt, rest } = takeRecord(input, o);
  ev.stdin = rest;
  const ifs = ifsOf(ev);
  const status = found ? 0 : 1;
  if (o.arrayName !== undefined) {
    const segs = [...line].map((ch, k) => ({
      text: ch,
      quoted: quotedAt.has(k),
      split: !quotedAt.has(k),
    }));
    const fields = splitField(segs, ifs).map((f) => f.map((x) => x.text).join(""));
    assignValue(ev, o.arrayName, { array: fields.map((value) => ({ value })) }, {
      append: false,
      scope: "normal",
    });
    return status;
  }
  if (o.names.length === 0) {
    assignValue(ev, "REPLY", { scalar: line }, { append: false, scope: "normal" });
    return status;
  }
  if (quotedAt.size > 0) refuse("read", "read of backslash-escaped input into several names");
  assignNames(ev, o.names, line, ifs);
  return status;
}
