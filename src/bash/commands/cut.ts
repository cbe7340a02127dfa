/**
 * coreutils' `cut`, run by the evaluator on standard input: `-f LIST` with
 * `-d`, `-s`, `-b LIST`, `-c LIST` (bytes, as GNU cut; non-ASCII input is
 * refused there), `--complement` and `--output-delimiter`. LISTs are GNU's:
 * `N`, `N-`, `-M`, `N-M`, separated by commas or blanks. What GNU cut
 * rejects is refused.
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";
import {
  hasOption,
  isAscii,
  lastOption,
  onlyStandardInput,
  type OptionSpec,
  parseArgs,
  requireAscii,
  splitLines,
  takeStdin,
} from "./_text_input.ts";

const SPEC: OptionSpec = {
  short: "bcdfns",
  valued: ["b", "c", "d", "f", "output-delimiter"],
  long: {
    bytes: "b",
    characters: "c",
    delimiter: "d",
    fields: "f",
    "only-delimited": "s",
    complement: "complement",
    "output-delimiter": "output-delimiter",
  },
  permute: true,
};

/** An inclusive range of 1-based positions; `hi` may be Infinity. */
export interface Range {
  /** First position. */
  lo: number;
  /** Last position, Infinity for `N-`. */
  hi: number;
}

/** Parses a cut LIST into sorted, merged ranges (complemented on request), as GNU's set_fields. */
export function parseList(list: string, complement = false): Range[] {
  const ranges: Range[] = [];
  for (const item of list.split(/[,\t ]/)) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || item === "" || item === "-") {
      refuse(`cut list '${list}'`, `cut fails on the list '${list}'`);
    }
    const lo = m[1] === "" ? 1 : Number(m[1]);
    const hi = m[2] === "" ? lo : m[3] === "" ? Infinity : Number(m[3]);
    if (lo === 0 || hi === 0) {
      refuse(`cut list '${list}'`, `cut positions are numbered from 1 ('${list}')`);
    }
    if (hi < lo) refuse(`cut list '${list}'`, `cut fails on the decreasing range in '${list}'`);
    ranges.push({ lo, hi });
  }
  ranges.sort((a, b) => a.lo - b.lo);
  const merged: Range[] = [];
  for (const r of ranges) {
    const prev = merged.at(-1);
    if (prev && r.lo <= prev.hi) prev.hi = Math.max(prev.hi, r.hi);
    else merged.push({ ...r });
  }
  return complement ? complementRanges(merged) : merged;
}

function complementRanges(ranges: Range[]): Range[] {
  const gaps: Range[] = [];
  let next = 1;
  for (const r of ranges) {
    if (r.lo > next) gaps.push({ lo: next, hi: r.lo - 1 });
    next = r.hi + 1;
  }
  if (next !== Infinity) gaps.push({ lo: next, hi: Infinity });
  return gaps;
}

/** The range holding position `n` (1-based), or undefined. */
function rangeAt(ranges: Range[], n: number): Range | undefined {
  return ranges.find((r) => n >= r.lo && n <= r.hi);
}

/** Runs `cut` on standard input. */
export function cutCommand(ev: Evaluator, args: string[]): number {
  const parsed = parseArgs("cut", args, SPEC);
  onlyStandardInput("cut", parsed.operands);
  const lists = parsed.opts.filter(([k]) => "bcf".includes(k) && k.length === 1);
  if (lists.length !== 1) refuse("cut list", "cut needs exactly one of -b, -c and -f");
  const [mode, list] = lists[0];
  const fields = mode === "f";
  const delim = lastOption(parsed, "d");
  if (!fields && (delim !== undefined || hasOption(parsed, "s"))) {
    refuse("cut -d or -s without -f", "cut fails on -d or -s without -f");
  }
  if (delim !== undefined && (delim.length > 1 || !isAscii(delim) || delim === "\n")) {
    refuse(`cut -d '${delim}'`, `cut's delimiter must be a single ASCII character, not '${delim}'`);
  }
  const outDelim = lastOption(parsed, "output-delimiter");
  if (outDelim === "") {
    refuse("cut --output-delimiter=''", "cut with an empty output delimiter writes NUL bytes");
  }
  const ranges = parseList(list, hasOption(parsed, "complement"));
  const input = takeStdin(ev, "cut");
  const lines = splitLines(input).map((l) => l.endsWith("\n") ? l.slice(0, -1) : l);
  let out = "";
  if (fields) {
    const d = delim === undefined ? "\t" : delim === "" ? "\0" : delim;
    for (const line of lines) {
      const cut = cutFields(line, ranges, d, outDelim ?? d);
      if (cut !== undefined) out += cut + "\n";
      else if (!hasOption(parsed, "s")) out += line + "\n";
    }
  } else {
    requireAscii("cut", input, "input with -b or -c");
    for (const line of lines) out += cutBytes(line, ranges, outDelim) + "\n";
  }
  ev.write(out);
  return 0;
}

/** The selected fields of `line`, or undefined when it has no delimiter. */
function cutFields(line: string, ranges: Range[], delim: string, outDelim: string) {
  if (!line.includes(delim)) return undefined;
  return line.split(delim).filter((_, k) => rangeAt(ranges, k + 1)).join(outDelim);
}

/** The selected bytes of `line`, `outDelim` (when given) between ranges. */
function cutBytes(line: string, ranges: Range[], outDelim: string | undefined): string {
  let out = "";
  let started = false;
  for (let k = 0; k < line.length; k++) {
    const r = rangeAt(ranges, k + 1);
    if (!r) continue;
    if (outDelim !== undefined && started && r.lo === k + 1) out += outDelim;
    started = true;
    out += line[k];
  }
  return out;
}
