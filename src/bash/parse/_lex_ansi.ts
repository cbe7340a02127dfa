/**
 * Decoding of bash's ANSI-C quoted strings (`$'...'`).
 *
 * @module
 */

/** The one-character backslash escapes of `$'...'`, `echo -e` and printf (`\\n`, `\\t`, ...). */
export const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** `$'...'` also keeps quotes and `?` after a backslash. */
const SIMPLE: Record<string, string> = { ...BACKSLASH_ESCAPES, "'": "'", '"': '"', "?": "?" };

/**
 * Finds the end of a `$'...'` body starting at `from` (just after the
 * opening quote): the index of the closing quote, or -1.
 */
export function findAnsiEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === "\\") j++;
    else if (ch === "'") return j;
  }
  return -1;
}

/** Decodes the body of `$'...'` the way bash does (text stops at a NUL). */
export function decodeAnsiC(body: string): string {
  let out = "";
  for (let j = 0; j < body.length; j++) {
    const ch = body[j];
    if (ch !== "\\" || j + 1 >= body.length) {
      out += ch;
      continue;
    }
    const n = body[++j];
    if (n in SIMPLE) {
      out += SIMPLE[n];
    } else if (n >= "0" && n <= "7") {
      const m = /^[0-7]{1,3}/.exec(body.slice(j))![0];
      out += String.fromCharCode(parseInt(m, 8) & 0xff);
      j += m.length - 1;
    } else if (n === "x") {
      const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(j + 1));
      if (!m) out += "\\x";
      else {
        out += String.fromCharCode(parseInt(m[0], 16));
        j += m[0].length;
      }
    } else if (n === "u" || n === "U") {
      const m = new RegExp(`^[0-9a-fA-F]{1,${n === "u" ? 4 : 8}}`).exec(body.slice(j + 1));
      if (!m) out += "\\" + n;
      else {
        const cp = parseInt(m[0], 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
        j += m[0].length;
      }
    } else if (n === "c" && j + 1 < body.length) {
      const ctl = body[++j];
      out += ctl === "?" ? "\x7f" : String.fromCharCode(ctl.toUpperCase().charCodeAt(0) & 0x1f);
    } else {
      out += "\\" + n;
    }
  }
  const nul = out.indexOf("\0");
  return nul === -1 ? out : out.slice(0, nul);
}
