/**
 * printf's `%f`/`%F` for plain decimal arguments, exactly as glibc prints a
 * `long double` read by `strtold`: the decimal is rounded to the binary
 * significand, then the binary value is rounded half-even to the precision.
 * The significand is 64 bits on x86_64 and 113 bits on aarch64; when the two
 * give different text the result depends on the machine and is refused.
 *
 * @module
 */

import { refuse } from "../eval/refusal.ts";

/** Options of {@link formatFixed}: printf's flags, width and precision. */
export interface FixedSpec {
  /** The flag characters (`-`, `+`, space, `0`, `#`). */
  flags: string;
  /** The minimum field width. */
  width: number;
  /** The digits after the point. @default 6 */
  prec: number | undefined;
  /** Left-justify (the `-` flag or a negative `*` width). */
  left: boolean;
}

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?$/;

/** Formats `arg` like printf's `%f`; refuses arguments that are not plain decimals. */
export function formatFixed(spec: FixedSpec, arg: string | undefined): string {
  const m = DECIMAL.exec(arg ?? "0");
  const intPart = m?.[2] ?? "", fracPart = m?.[3] ?? "";
  if (!m || (arg !== "" && intPart === "" && fracPart === "")) {
    refuse("printf %f", `printf %f of '${arg}', which is not a plain decimal number`);
  }
  if (intPart.length + fracPart.length > 60) refuse("printf %f", "printf %f of a very long number");
  const prec = spec.prec ?? 6;
  const num = BigInt((intPart + fracPart) || "0");
  const den = 10n ** BigInt(fracPart.length);
  const x86 = fixedDigits(num, den, 64, prec);
  if (fixedDigits(num, den, 113, prec) !== x86) {
    refuse("printf %f", "printf %f whose last digit depends on the machine's long double");
  }
  let body = x86;
  if (prec === 0 && spec.flags.includes("#")) body += ".";
  const sign = m[1] === "-"
    ? "-"
    : spec.flags.includes("+")
    ? "+"
    : spec.flags.includes(" ")
    ? " "
    : "";
  const text = sign + body;
  if (text.length >= spec.width) return text;
  const fill = spec.width - text.length;
  if (spec.left) return text + " ".repeat(fill);
  if (spec.flags.includes("0")) return sign + "0".repeat(fill) + body;
  return " ".repeat(fill) + text;
}

/** The digits of num/den rounded to a `bits`-bit significand, then to `prec` decimals. */
function fixedDigits(num: bigint, den: bigint, bits: number, prec: number): string {
  let q = 0n;
  if (num !== 0n) {
    // the binary exponent e with 2^(bits-1) <= num/den * 2^-e < 2^bits
    let e = BigInt(num.toString(2).length - den.toString(2).length - bits);
    const top = 1n << BigInt(bits);
    let mant = scaledRound(num, den, e);
    while (mant >= top) mant = scaledRound(num, den, ++e);
    while (mant < top >> 1n) mant = scaledRound(num, den, --e);
    const p10 = 10n ** BigInt(prec);
    q = e >= 0n ? mant * p10 * (1n << e) : roundHalfEven(mant * p10, 1n << -e);
  }
  const s = q.toString().padStart(prec + 1, "0");
  return prec === 0 ? s : `${s.slice(0, -prec)}.${s.slice(-prec)}`;
}

/** num/den * 2^-e rounded half-even to an integer. */
function scaledRound(num: bigint, den: bigint, e: bigint): bigint {
  return e >= 0n ? roundHalfEven(num, den << e) : roundHalfEven(num << -e, den);
}

function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den, r2 = (num % den) * 2n;
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}
