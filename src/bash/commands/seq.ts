/**
 * coreutils' `seq` for integers, run by the evaluator: `seq LAST`,
 * `seq FIRST LAST`, `seq FIRST INCR LAST`, `-w` (zero-padded to the wider of
 * FIRST and LAST as written, as GNU seq does) and `-s SEP`. Floats, `-f`,
 * a zero increment and numbers beyond 2^53 are refused.
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";
import { hasOption, lastOption, type OptionSpec, parseArgs } from "./_text_input.ts";

const SPEC: OptionSpec = {
  short: "sw",
  valued: ["s"],
  long: { separator: "s", "equal-width": "w" },
  permute: false,
  operandLike: (arg) => /^-[0-9.]/.test(arg),
};

/** An integer operand: its value and its width as written (without a leading `+`). */
interface Operand {
  value: number;
  width: number;
}

function operand(text: string): Operand {
  if (!/^[+-]?\d+$/.test(text)) {
    refuse(`seq '${text}'`, `seq with the operand '${text}' is not supported (integers only)`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    refuse(`seq '${text}'`, `seq with the operand '${text}' is too large`);
  }
  if (Object.is(value, -0)) {
    refuse(`seq '${text}'`, `seq with the operand '${text}' is not supported`);
  }
  return { value, width: text.replace(/^\+/, "").length };
}

/** The numbers `seq FIRST INCR LAST` prints, formatted; `width` pads with zeros after the sign. */
export function seqNumbers(first: number, incr: number, last: number, width = 0): string[] {
  const out: string[] = [];
  for (let n = first; incr > 0 ? n <= last : n >= last; n += incr) {
    const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), "0");
    out.push(n < 0 ? "-" + digits : digits);
  }
  return out;
}

/** Runs `seq`. */
export function seqCommand(ev: Evaluator, args: string[]): number {
  const parsed = parseArgs("seq", args, SPEC);
  const ops = parsed.operands.map(operand);
  if (ops.length < 1 || ops.length > 3) refuse("seq operands", "seq needs one to three operands");
  const first = ops.length > 1 ? ops[0] : { value: 1, width: 1 };
  const incr = ops.length === 3 ? ops[1].value : 1;
  const last = ops[ops.length - 1];
  if (incr === 0) refuse("seq increment 0", "seq fails on a zero increment");
  const count = Math.floor((last.value - first.value) / incr) + 1;
  if (count > 0) ev.budget.step(count);
  const width = hasOption(parsed, "w") ? Math.max(first.width, last.width) : 0;
  const numbers = seqNumbers(first.value, incr, last.value, width);
  if (numbers.length > 0) ev.write(numbers.join(lastOption(parsed, "s") ?? "\n") + "\n");
  return 0;
}
