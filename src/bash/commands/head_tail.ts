/**
 * coreutils' `head` and `tail` on standard input, run by the evaluator:
 * `-n N`, `-nN`, the old `-N`, `head -n -N` (all but the last N),
 * `tail -n +N` (from line N), and the same with `-c` (bytes; non-ASCII input
 * is refused there). Size suffixes, `-f`, `-v` and file operands are refused.
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";
import {
  onlyStandardInput,
  type OptionSpec,
  parseArgs,
  requireAscii,
  splitLines,
  takeStdin,
} from "./_text_input.ts";

const SPEC: OptionSpec = {
  short: "cnq",
  valued: ["c", "n"],
  long: { bytes: "c", lines: "n", quiet: "q", silent: "q" },
  permute: true,
};

/** What to keep: lines or bytes, a count, and where it counts from. */
export interface Selection {
  /** Lines (`n`) or bytes (`c`). */
  unit: "c" | "n";
  /** How many. */
  count: number;
  /** `-N` for head (all but the last N), `+N` for tail (from the Nth). */
  sign: "" | "-" | "+";
}

/** Parses the arguments of `head` or `tail`; the old `-N` form counts lines. */
function selection(cmd: "head" | "tail", args: string[]): Selection {
  let sel: Selection = { unit: "n", count: 10, sign: "" };
  let rest = args;
  const old = /^-(\d+)$/.exec(args[0] ?? "");
  const lone = args.length === 1 || (args.length === 2 && !/^-./.test(args[1]));
  if (old && (cmd === "head" || lone)) {
    sel = { unit: "n", count: Number(old[1]), sign: "" };
    rest = args.slice(1);
  }
  const parsed = parseArgs(cmd, rest, SPEC);
  onlyStandardInput(cmd, parsed.operands);
  for (const [key, value] of parsed.opts) {
    if (key === "q") continue;
    const m = (cmd === "head" ? /^(-?)(\d+)$/ : /^([+-]?)(\d+)$/).exec(value);
    if (!m) refuse(`${cmd} -${key} ${value}`, `${cmd} with the count '${value}' is not supported`);
    sel = { unit: key as "c" | "n", count: Number(m[2]), sign: m[1] as Selection["sign"] };
  }
  if (cmd === "tail" && sel.sign === "-") sel.sign = "";
  return sel;
}

/** The units (lines with their newline, or characters) of `input`. */
function units(cmd: string, input: string, unit: "c" | "n"): string[] {
  if (unit === "n") return splitLines(input);
  requireAscii(cmd, input, "input with -c");
  return [...input];
}

/** `head` on `input`: the first N units, or all but the last N. */
export function headOf(input: string, sel: Selection): string {
  const u = units("head", input, sel.unit);
  return (sel.sign === "-" ? u.slice(0, Math.max(0, u.length - sel.count)) : u.slice(0, sel.count))
    .join("");
}

/** `tail` on `input`: the last N units, or from the Nth on. */
export function tailOf(input: string, sel: Selection): string {
  const u = units("tail", input, sel.unit);
  if (sel.sign === "+") return u.slice(Math.max(0, sel.count - 1)).join("");
  return sel.count === 0 ? "" : u.slice(-sel.count).join("");
}

/** Runs `head` on standard input. */
export function headCommand(ev: Evaluator, args: string[]): number {
  const sel = selection("head", args);
  ev.write(headOf(takeStdin(ev, "head"), sel));
  return 0;
}

/** Runs `tail` on standard input. */
export function tailCommand(ev: Evaluator, args: string[]): number {
  const sel = selection("tail", args);
  ev.write(tailOf(takeStdin(ev, "tail"), sel));
  return 0;
}
