/**
 * The `printf` format engine and `echo -e` escapes, as bash implements them
 * for the conversions PKGBUILDs use (`%s %d %i %u %x %X %o %c %b %q %%`
 * and `%f` of plain decimals, with flags, width and precision); the format is
 * reused while arguments remain. Other floating-point and time conversions are refused.
 *
 * @module
 */

import { refuse } from "../eval/refusal.ts";
import { formatFixed } from "./_printf_float.ts";
import { BACKSLASH_ESCAPES } from "../parse/_lex_ansi.ts";

/** Decodes the backslash escapes of a printf format or `%b` argument; `stop` is set by `\c`. */
export function decodeEscapes(s: string, forB: boolean): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    const simple = BACKSLASH_ESCAPES;
    if (n in simple) {
      out += simple[n];
    } else if (!forB && (n === '"' || n === "'" || n === "?")) {
      out += n;
    } else if (n === "c" && forB) {
      return { text: out, stop: true };
    } else if (/[0-7]/.test(n) || (forB && n === "0")) {
      let j = i;
      let digits = "";
      const max = forB && n === "0" ? 4 : 3;
      while (j < s.length && digits.length < max && /[0-7]/.test(s[j])) digits += s[j++];
      if (forB && n === "0") digits = digits.slice(1) || "0";
      const code = parseInt(digits, 8) & 0xff;
      if (code > 0x7f) refuse("printf escape", "an octal escape producing a non-ASCII byte");
      out += String.fromCharCode(code);
      i = j - 1;
    } else if (n === "x") {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(s.slice(i + 1));
      if (!m) {
        out += "\\x";
        continue;
      }
      const code = parseInt(m[0], 16);
      if (code > 0x7f) refuse("printf escape", "a \\x escape producing a non-ASCII byte");
      out += String.fromCharCode(code);
      i += m[0].length;
    } else if (n === "u" || n === "U") {
      refuse("printf escape", "\\u escapes depend on the locale");
    } else {
      out += "\\" + n;
    }
  }
  return { text: out, stop: false };
}

/** Parses a numeric printf argument as bash does (`'c` gives the character code). */
function numArg(arg: string | undefined): bigint {
  if (arg === undefined || arg === "") return 0n;
  if (arg[0] === "'" || arg[0] === '"') {
    const ch = arg.codePointAt(1);
    if (ch === undefined) return 0n;
    if (ch > 0x7f) refuse("printf", "the character code of a non-ASCII character");
    return BigInt(ch);
  }
  const t = arg.replace(/^[ \t\n]+/, "");
  const m = /^([+-]?)(0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  if (!m) refuse("printf number", `printf fails: '${arg}' is not a valid number`);
  const body = m[2];
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body[0] === "0") v = BigInt("0o" + body.slice(1));
  else v = BigInt(body);
  if (m[1] === "-") v = -v;
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) refuse("printf number", "a number out of range");
  return v;
}

/** Quotes `s` the way bash's `printf %q` does (for printable ASCII). */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (/[^\x20-\x7e]/.test(s)) {
    refuse("printf %q", "%q of text with control or non-ASCII characters");
  }
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/[A-Za-z0-9_.\/:@%+=-]/.test(c) || (c === "~" && i > 0) || (c === "#" && i > 0)) out += c;
    else out += "\\" + c;
  }
  return out;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + " ".repeat(width - s.length);
  if (zero) {
    const sign = /^[+\- ]/.test(s) ? s[0] : "";
    const body = sign ? s.slice(1) : s;
    const prefix = /^0[xX]/.test(body) ? body.slice(0, 2) : "";
    return sign + prefix + "0".repeat(width - s.length) + body.slice(prefix.length);
  }
  return " ".repeat(width - s.length) + s;
}

/** One `%` conversion's parsed flags, width and precision. */
interface Spec {
  flags: string;
  width: number;
  prec: number | undefined;
  left: boolean;
  conv: string;
}

function formatString(spec: Spec, arg: string | undefined): { text: string; stop: boolean } {
  let s: string;
  let stop = false;
  if (spec.conv === "b") {
    const d = decodeEscapes(arg ?? "", true);
    s = d.text;
    stop = d.stop;
  } else if (spec.conv === "q") s = arg === undefined ? "''" : shellQuote(arg);
  else if (spec.conv === "c") s = (arg ?? "").slice(0, 1);
  else s = arg ?? "";
  if (spec.prec !== undefined && spec.conv !== "c") s = s.slice(0, spec.prec);
  if ((spec.width > 0 || spec.prec !== undefined) && /[\u0080-\uffff]/.test(s)) {
    refuse("printf width", "printf width or precision on non-ASCII text");
  }
  return { text: pad(s, spec.width, spec.left, false), stop };
}

function formatInteger(spec: Spec, arg: string | undefined): string {
  const { conv, flags, prec } = spec;
  let v = numArg(arg);
  if (conv !== "d" && conv !== "i" && v < 0n) v = BigInt.asUintN(64, v);
  let digits = conv === "x"
    ? v.toString(16)
    : conv === "X"
    ? v.toString(16).toUpperCase()
    : conv === "o"
    ? v.toString(8)
    : (v < 0n ? -v : v).toString();
  if (prec !== undefined) {
    digits = digits.padStart(prec, "0");
    if (prec === 0 && v === 0n) digits = "";
  }
  let sign = "";
  if (conv === "d" || conv === "i") {
    sign = v < 0n ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  }
  if (flags.includes("#") && v !== 0n) {
    if (conv === "x") digits = "0x" + digits;
    if (conv === "X") digits = "0X" + digits;
    if (conv === "o" && digits[0] !== "0") digits = "0" + digits;
  }
  const zero = flags.includes("0") && !spec.left && prec === undefined;
  return pad(sign + digits, spec.width, spec.left, zero);
}

/** The length of the escape sequence starting at `format[i] === "\\"`. */
function escapeEnd(format: string, i: number): number {
  let j = i + 1;
  if (/[0-7]/.test(format[j] ?? "")) {
    while (j < i + 4 && /[0-7]/.test(format[j] ?? "")) j++;
  } else if (format[j] === "x") {
    j++;
    while (j < i + 4 && /[0-9A-Fa-f]/.test(format[j] ?? "")) j++;
  } else j++;
  return j;
}

/** Formats like bash's `printf FORMAT ARGS...`. */
export function formatPrintf(format: string, args: readonly string[]): string {
  let out = "";
  let ai = 0;
  const next = (): string | undefined => args[ai++];
  for (let pass = 0; pass < 100_000; pass++) {
    const startAi = ai;
    let i = 0;
    while (i < format.length) {
      const c = format[i];
      if (c === "\\") {
        const j = escapeEnd(format, i);
        out += decodeEscapes(format.slice(i, j), false).text;
        i = j;
        continue;
      }
      if (c !== "%") {
        out += c;
        i++;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|[0-9]*)(?:\.(\*|[0-9]*))?([a-zA-Z%(])/.exec(format.slice(i));
      if (!m) refuse("printf format", `printf fails: invalid format '${format.slice(i)}'`);
      i += m[0].length;
      if (m[4] === "%") {
        out += "%";
        continue;
      }
      const spec: Spec = {
        flags: m[1],
        width: 0,
        prec: undefined,
        left: m[1].includes("-"),
        conv: m[4],
      };
      if (m[2] === "*") spec.width = Number(numArg(next()));
      else if (m[2]) spec.width = Number(m[2]);
      if (m[3] !== undefined) {
        spec.prec = m[3] === "*" ? Number(numArg(next())) : Number(m[3] || "0");
      }
      if (spec.width < 0) {
        spec.left = true;
        spec.width = -spec.width;
      }
      if (spec.width > 100_000 || (spec.prec ?? 0) > 100_000) {
        refuse("printf width", "a printf width this large");
      }
      if ("sbqc".includes(spec.conv)) {
        if (spec.conv === "c" && /[\u0080-\uffff]/.test((args[ai] ?? "").slice(0, 1))) {
          refuse("printf %c", "%c of a non-ASCII character");
        }
        const r = formatString(spec, next());
        out += r.text;
        if (r.stop) return out;
      } else if ("diuxXo".includes(spec.conv)) {
        out += formatInteger(spec, next());
      } else if (spec.conv === "f" || spec.conv === "F") {
        out += formatFixed(spec, next());
      } else {
        refuse(`printf %${spec.conv}`, `the printf conversion %${spec.conv} is not supported`);
      }
      if (out.length > 16 * 1024 * 1024) refuse("printf", "printf output this large");
    }
    if (ai >= args.length || ai === startAi) break;
  }
  return out;
}

/** `echo` with bash's option parsing (`-n`, `-e`, `-E`). */
export function formatEcho(args: readonly string[]): string {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length; i++) {
    if (!/^-[neE]+$/.test(args[i])) break;
    for (const f of args[i].slice(1)) {
      if (f === "n") newline = false;
      else if (f === "e") escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(" ");
  if (escapes) {
    const d = decodeEscapes(text, true);
    if (d.stop) return d.text;
    text = d.text;
  }
  return newline ? text + "\n" : text;
}
