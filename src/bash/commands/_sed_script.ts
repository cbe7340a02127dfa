/**
 * Parses the subset of GNU sed scripts the evaluator runs: commands `s`,
 * `p`, `d`, `q`, `Q` and `=`, separated by `;` or newlines, each with at most
 * one address (a line number, `$` or `/regex/`) and an optional `!`, plus
 * `#` comments. Everything else is refused with the command named.
 *
 * @module
 */

import { refuse } from "../eval/refusal.ts";
import { translatePosixRegex } from "../expand/posix_regex.ts";

/** A compiled sed regular expression. */
export interface SedRegex {
  /** The JavaScript RegExp (flags `gs`, plus `i` for `I`). */
  readonly re: RegExp;
  /** The number of capturing groups. */
  readonly groups: number;
  /** The number of repeated atoms, to bound backtracking. */
  readonly repeats: number;
}

/** Where a command applies. */
export type SedAddress =
  | { readonly kind: "line"; readonly line: number }
  | { readonly kind: "last" }
  | { readonly kind: "regex"; readonly regex: SedRegex };

/** One piece of an `s` replacement. */
export type ReplacementPiece =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "group"; readonly group: number }
  | { readonly kind: "case"; readonly to: "U" | "L" | "E" | "u" | "l" };

/** The `s` command's parts. */
export interface Substitution {
  /** The regular expression. */
  readonly regex: SedRegex;
  /** The replacement, in pieces. */
  readonly replacement: readonly ReplacementPiece[];
  /** Flag `g`: replace every match from `occurrence` on. */
  readonly global: boolean;
  /** Flag N: the first match replaced (1-based). @default 1 */
  readonly occurrence: number;
  /** Flag `p`: print the pattern space after a replacement. */
  readonly print: boolean;
}

/** One parsed command. */
export interface SedCommand {
  /** The address, if any. */
  readonly address?: SedAddress;
  /** `!`: run where the address does not match. */
  readonly negate: boolean;
  /** The command letter. */
  readonly name: "s" | "p" | "d" | "q" | "Q" | "=";
  /** For `s`. */
  readonly subst?: Substitution;
  /** For `q` and `Q`: the exit status. */
  readonly exitStatus?: number;
}

const REFUSED_COMMANDS: Record<string, string> = {
  y: "transliteration",
  a: "appending text",
  i: "inserting text",
  c: "changing lines",
  b: "branching",
  t: "branching",
  T: "branching",
  ":": "labels",
  h: "the hold space",
  H: "the hold space",
  g: "the hold space",
  G: "the hold space",
  x: "the hold space",
  n: "reading the next line",
  N: "reading the next line",
  P: "printing the first line",
  D: "deleting the first line",
  l: "printing unambiguously",
  w: "writing a file",
  W: "writing a file",
  r: "reading a file",
  R: "reading a file",
  e: "running a command",
  F: "printing the file name",
  z: "zapping the pattern space",
  v: "version checks",
  "{": "blocks",
  "}": "blocks",
};

function bad(what: string, why: string): never {
  refuse(`sed ${what}`, `sed ${why}`);
}

/** A cursor over the script text. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.pos];
  }
  next(): string | undefined {
    return this.text[this.pos++];
  }
  skipBlanks(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos++;
  }
}

/** Reads up to the unescaped `delim`; `\delim` becomes `delim` (as GNU sed does). */
function readDelimited(cur: Cursor, delim: string, regex: boolean): string {
  let out = "";
  for (;;) {
    const c = cur.next();
    if (c === undefined || c === "\n") bad("s", "has an unterminated `s' command");
    if (c === delim) return out;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = cur.next();
    if (n === undefined) bad("s", "has an unterminated `s' command");
    if (n === delim && !(regex === false && n === "&")) {
      if (/[0-9A-Za-z]/.test(n)) bad("s", `escapes the letter delimiter '${n}'`);
      out += n;
    } else if (n === "\n") {
      if (regex) bad("s", "has a newline inside a regular expression");
      out += "\\n";
    } else out += "\\" + n;
  }
}

/** Compiles a sed regular expression. */
export function compileSedRegex(src: string, extended: boolean, icase: boolean): SedRegex {
  const t = translatePosixRegex(src, extended);
  return { re: new RegExp(t.source, icase ? "gis" : "gs"), groups: t.groups, repeats: t.repeats };
}

function parseReplacement(text: string, groups: number): ReplacementPiece[] {
  const pieces: ReplacementPiece[] = [];
  let buf = "";
  const flush = () => {
    if (buf !== "") pieces.push({ kind: "text", text: buf });
    buf = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "&") {
      flush();
      pieces.push({ kind: "group", group: 0 });
      continue;
    }
    if (c !== "\\") {
      buf += c;
      continue;
    }
    const n = text[++i];
    if (/[0-9]/.test(n)) {
      const g = Number(n);
      if (g > groups) bad("s", `refers to \\${g} but the regular expression has ${groups} groups`);
      flush();
      pieces.push({ kind: "group", group: g });
    } else if (n === "U" || n === "L" || n === "E" || n === "u" || n === "l") {
      flush();
      pieces.push({ kind: "case", to: n });
    } else if (n === "n") buf += "\n";
    else if (n === "t") buf += "\t";
    else if (/[A-Za-z]/.test(n)) bad("s", `uses the replacement escape \\${n}`);
    else buf += n;
  }
  flush();
  pieces.forEach((p, i) => {
    if (p.kind !== "case" || (p.to !== "u" && p.to !== "l")) return;
    const after = pieces[i + 1];
    if (after === undefined || after.kind === "case") {
      bad(
        "s",
        `uses \\${p.to} not followed by text, & or a group, which GNU sed handles specially`,
      );
    }
  });
  return pieces;
}

function parseSubstitution(cur: Cursor, extended: boolean): Substitution {
  const delim = cur.next();
  if (delim === undefined || delim === "\n" || delim === "\\") {
    bad("s", "has an unterminated `s' command");
  }
  const reText = readDelimited(cur, delim, true);
  const replText = readDelimited(cur, delim, false);
  let global = false, print = false, icase = false;
  let occurrence: number | undefined;
  for (;;) {
    const c = cur.peek();
    if (c === "g" && !global) global = true;
    else if (c === "p" && !print) print = true;
    else if ((c === "i" || c === "I") && !icase) icase = true;
    else if (c !== undefined && /[0-9]/.test(c) && occurrence === undefined) {
      const m = /^[0-9]+/.exec(cur.text.slice(cur.pos))![0];
      occurrence = Number(m);
      if (occurrence === 0) bad("s", "has the number flag 0");
      cur.pos += m.length - 1;
    } else if (c === " " || c === "\t") { /* blanks between flags */ }
    else if (c === "w" || c === "W" || c === "e" || c === "m" || c === "M") {
      bad(
        `s///${c}`,
        `s flag ${c} is not supported (it ${
          c === "e"
            ? "runs a command"
            : c === "m" || c === "M"
            ? "changes how ^ and $ match"
            : "writes a file"
        })`,
      );
    } else break;
    cur.pos++;
  }
  const regex = compileSedRegex(reText, extended, icase);
  return {
    regex,
    replacement: parseReplacement(replText, regex.groups),
    global,
    occurrence: occurrence ?? 1,
    print,
  };
}

function parseAddress(cur: Cursor, extended: boolean): SedAddress | undefined {
  const c = cur.peek();
  if (c !== undefined && /[0-9]/.test(c)) {
    const m = /^[0-9]+/.exec(cur.text.slice(cur.pos))![0];
    cur.pos += m.length;
    if (Number(m) === 0) bad("address 0", "address 0 is only valid in a range");
    return { kind: "line", line: Number(m) };
  }
  if (c === "$") {
    cur.pos++;
    return { kind: "last" };
  }
  if (c === "/") {
    cur.pos++;
    let src = "";
    for (;;) {
      const ch = cur.next();
      if (ch === undefined || ch === "\n") bad("address", "has an unterminated address regex");
      if (ch === "/") break;
      if (ch === "\\") {
        const n = cur.next();
        if (n === undefined) bad("address", "has an unterminated address regex");
        src += n === "/" ? "/" : "\\" + n;
      } else src += ch;
    }
    if (cur.peek() === "I" || cur.peek() === "M") {
      bad(`address flag ${cur.peek()}`, `address flag ${cur.peek()} is not supported`);
    }
    return { kind: "regex", regex: compileSedRegex(src, extended, false) };
  }
  if (c === "\\") bad("address \\c", "addresses with a custom delimiter are not supported");
  return undefined;
}

function endOfCommand(cur: Cursor, name: string): void {
  cur.skipBlanks();
  const c = cur.peek();
  if (c === undefined || c === ";" || c === "\n" || c === "#") return;
  if (c === "}") bad("}", "blocks ({...}) are not supported");
  bad(name, `has extra characters after the command ${name}`);
}

/** Parses a whole sed script (the `-e` pieces joined by newlines). */
export function parseSedScript(script: string, extended: boolean): SedCommand[] {
  const cur = new Cursor(script);
  const commands: SedCommand[] = [];
  for (;;) {
    while (/^[ \t\n;]$/.test(cur.peek() ?? "")) cur.pos++;
    if (cur.peek() === undefined) return commands;
    const address = parseAddress(cur, extended);
    cur.skipBlanks();
    if (cur.peek() === ",") bad("address range", "address ranges are not supported");
    if (cur.peek() === "~") bad("address step", "address steps (first~step) are not supported");
    let negate = false;
    if (cur.peek() === "!") {
      if (address === undefined) bad("!", "! without an address is not supported");
      negate = true;
      cur.pos++;
      cur.skipBlanks();
    }
    const name = cur.next();
    if (name === undefined) bad("address", "has an address without a command");
    if (name === "#") {
      if (address !== undefined) bad("#", "comments do not accept addresses");
      while (cur.peek() !== undefined && cur.peek() !== "\n") cur.pos++;
      continue;
    }
    if (name in REFUSED_COMMANDS) {
      bad(`command ${name}`, `command ${name} (${REFUSED_COMMANDS[name]}) is not supported`);
    }
    if (name === "s") {
      commands.push({ address, negate, name, subst: parseSubstitution(cur, extended) });
    } else if (name === "p" || name === "d" || name === "=") {
      commands.push({ address, negate, name });
    } else if (name === "q" || name === "Q") {
      cur.skipBlanks();
      const m = /^[0-9]*/.exec(cur.text.slice(cur.pos))![0];
      cur.pos += m.length;
      commands.push({ address, negate, name, exitStatus: m === "" ? 0 : Number(m) & 255 });
    } else bad(`command ${name}`, `has the unknown command ${JSON.stringify(name)}`);
    endOfCommand(cur, name);
  }
}
