/**
 * Finds the variable assignments makepkg's `extract_function_variable` sees
 * in a function. makepkg greps the output of `declare -f` (one command per
 * line, indented) for `^[[:space:]]* name\+?=\(` (array form) and
 * `^[[:space:]]* name\+?=[^(]` (string form): so only an assignment that
 * starts a command counts, `local`/`declare`/`export` ones do not, and an
 * empty `name=` matches neither form.
 *
 * @module
 */

/** One assignment at the start of a command inside a function body. */
export interface FunctionAssignment {
  /** The variable name. */
  readonly name: string;
  /** True for `name+=...`. */
  readonly append: boolean;
  /** `array` for `name=(...)`, `string` for `name=value`, `empty` for `name=` (makepkg sees neither). */
  readonly form: "array" | "string" | "empty";
}

const RESERVED = new Set(["then", "do", "else", "elif", "if", "while", "until", "!", "{", "time"]);
const NAME_ASSIGN = /([A-Za-z_][A-Za-z0-9_]*)(\+?)=/y;
const COMMAND_END = new Set(["\n", ";", "&", "|", "(", ")", "{", "}"]);

/** Returns the index just after the quoted string that starts at `i` (`'`, `"` or `$'`). */
function skipQuoted(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== quote) {
    if (s[j] === "\\" && quote === '"') j++;
    j++;
  }
  return j + 1;
}

/** Returns the index just after the `)` closing the `(` at `i`, quote-aware. */
function skipParens(s: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s[j];
    if (c === "\\") j += 2;
    else if (c === "'" || c === '"') j = skipQuoted(s, j);
    else {
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

/** Returns the assignments that start a command in `source` (a whole function definition). */
export function scanFunctionAssignments(source: string): FunctionAssignment[] {
  const found: FunctionAssignment[] = [];
  const heredocs: { word: string; strip: boolean }[] = [];
  let i = 0;
  let atStart = true;
  while (i < source.length) {
    if (atStart) {
      while (source[i] === " " || source[i] === "\t") i++;
      const word = /^[^\s;&|()]+/.exec(source.slice(i, i + 8))?.[0] ?? "";
      if (RESERVED.has(word)) {
        i += word.length;
        continue;
      }
      atStart = false;
      NAME_ASSIGN.lastIndex = i;
      const m = NAME_ASSIGN.exec(source);
      if (m) {
        const next = source[i + m[0].length];
        const form = next === "("
          ? "array"
          : next === undefined || COMMAND_END.has(next)
          ? "empty"
          : "string";
        found.push({ name: m[1], append: m[2] === "+", form });
        i += m[0].length;
        if (form === "array") i = skipParens(source, i);
        continue;
      }
    }
    const c = source[i];
    if (c === "\\") i += 2;
    else if (c === "'" || c === '"') i = skipQuoted(source, i);
    else if (c === "$" && source[i + 1] === "'") i = skipQuoted(source, i + 1);
    else if (c === "#" && (i === 0 || /[\s;&|(]/.test(source[i - 1]))) {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "<" && source[i + 1] === "<" && source[i + 2] !== "<") {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(source.slice(i));
      if (m) {
        heredocs.push({ word: m[3], strip: m[1] === "-" });
        i += m[0].length;
      } else i += 2;
    } else if (c === "\n" && heredocs.length > 0) {
      i++;
      for (const doc of heredocs.splice(0)) {
        while (i < source.length) {
          const end = source.indexOf("\n", i);
          const line = source.slice(i, end === -1 ? source.length : end);
          i = end === -1 ? source.length : end + 1;
          if ((doc.strip ? line.replace(/^\t+/, "") : line) === doc.word) break;
        }
      }
      atStart = true;
    } else {
      if (COMMAND_END.has(c)) atStart = true;
      i++;
    }
  }
  return found;
}
