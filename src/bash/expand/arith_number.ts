/**
 * Bash's integer constants (decimal, `0x` hex, `0` octal, `base#digits`)
 * and 64-bit wrapping arithmetic helpers.
 *
 * @module
 */

import { type Budget, refuse } from "../eval/refusal.ts";

/** Wraps `v` to a signed 64-bit integer, as bash's arithmetic does. */
export const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** `a ** b` over 64-bit wrapping integers, one budget step per squaring. */
export function powWrap(a: bigint, b: bigint, budget: Budget): bigint {
  let result = 1n;
  let base = wrap(a);
  let e = b;
  while (e > 0n) {
    budget.step();
    if (e & 1n) result = wrap(result * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return result;
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_";

/** Parses a bash integer constant: decimal, `0x` hex, `0` octal, `base#digits`. */
export function parseArithNumber(tok: string): bigint {
  const bad = (): never =>
    refuse("arithmetic number", `invalid arithmetic number '${tok}' (bash rejects it)`);
  let base = 10;
  let digits = tok;
  const hash = tok.indexOf("#");
  if (hash >= 0) {
    if (!/^[0-9]+$/.test(tok.slice(0, hash))) bad();
    base = Number(tok.slice(0, hash));
    digits = tok.slice(hash + 1);
    if (base < 2 || base > 64) bad();
  } else if (/^0[xX]/.test(tok)) {
    base = 16;
    digits = tok.slice(2);
  } else if (tok.length > 1 && tok[0] === "0") {
    base = 8;
    digits = tok.slice(1);
  }
  if (digits === "") {
    if (base === 16 && hash < 0) return 0n; // bash accepts a bare 0x as 0
    bad();
  }
  let v = 0n;
  for (const ch of digits) {
    let d: number;
    if (base <= 36) {
      d = DIGITS.indexOf(ch.toLowerCase());
      if (ch === "@" || ch === "_") d = -1;
    } else {
      d = DIGITS.indexOf(ch);
    }
    if (d < 0 || d >= base) bad();
    v = wrap(v * BigInt(base) + BigInt(d));
  }
  return v;
}
