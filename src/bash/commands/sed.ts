/**
 * GNU sed, run by the evaluator itself on its standard input (a pipe, a
 * here-string or a heredoc), as in `_v=$(echo $pkgver | sed 's/-/_/g')`.
 * Supported: options `-n`, `-e`/`--expression`, `-E`/`-r`/`--regexp-extended`,
 * `-s`, `-u`, `--`; commands `s` (any delimiter; flags `g`, `p`, N, `I`),
 * `p`, `d`, `q`, `Q` and `=`, with one address (a line number, `$` or
 * `/regex/`) and `!`. Reading a file (an operand, `-f`, `-i`, `r`, `w`,
 * `e`), other commands, alternation, back-references, repeated groups and
 * non-ASCII text are refused with the cause named (see `_posix_regex.ts` for
 * why the regex subset is exact).
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { EvalLimit, refuse } from "../eval/refusal.ts";
import {
  parseSedScript,
  type ReplacementPiece,
  type SedAddress,
  type SedCommand,
  type SedRegex,
  type Substitution,
} from "./_sed_script.ts";
import { requireAscii } from "./_text_input.ts";

/** The parsed command line of a sed invocation. */
export interface SedInvocation {
  /** The script (the `-e` pieces joined by newlines). */
  readonly script: string;
  /** `-n`: no automatic printing. */
  readonly quiet: boolean;
  /** `-E`/`-r`: extended regular expressions. */
  readonly extended: boolean;
}

/** The result of running a sed script on a text. */
export interface SedResult {
  /** What sed writes to its standard output. */
  readonly output: string;
  /** sed's exit status. */
  readonly status: number;
}

const LONG_OPTIONS: Record<string, "quiet" | "extended" | "ignored"> = {
  "--quiet": "quiet",
  "--silent": "quiet",
  "--regexp-extended": "extended",
  "--separate": "ignored",
  "--unbuffered": "ignored",
  "--sandbox": "ignored",
};

function refuseOption(opt: string, why: string): never {
  refuse(`sed ${opt}`, `the sed option ${opt} ${why}`);
}

/** Parses sed's arguments (GNU getopt: options may follow operands). */
export function parseSedArgs(args: readonly string[]): SedInvocation {
  const scripts: string[] = [];
  const operands: string[] = [];
  let quiet = false, extended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq === -1 ? a : a.slice(0, eq);
      if (name === "--expression") {
        const value = eq === -1 ? args[++i] : a.slice(eq + 1);
        if (value === undefined) refuseOption(a, "needs a value");
        scripts.push(value);
        continue;
      }
      if (name === "--in-place") refuseOption(a, "edits a file in place");
      if (name === "--file") refuseOption(a, "reads the script from a file");
      const kind = eq === -1 ? LONG_OPTIONS[name] : undefined;
      if (kind === undefined) refuseOption(a, "is not supported");
      if (kind === "quiet") quiet = true;
      if (kind === "extended") extended = true;
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === "e") {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) refuseOption("-e", "needs a value");
        scripts.push(value);
        break;
      }
      if (f === "n") quiet = true;
      else if (f === "E" || f === "r") extended = true;
      else if (f === "s" || f === "u") continue;
      else if (f === "i") refuseOption("-i", "edits a file in place");
      else if (f === "f") refuseOption("-f", "reads the script from a file");
      else refuseOption(`-${f}`, "is not supported");
    }
  }
  if (scripts.length === 0) {
    const script = operands.shift();
    if (script === undefined) refuse("sed", "sed without a script fails");
    scripts.push(script);
  }
  if (operands.length > 1 || (operands.length === 1 && operands[0] !== "-")) {
    const file = operands.find((o) => o !== "-")!;
    refuse(
      "sed file operand",
      `sed reading the file '${file}'; only standard input (a pipe, a here-string or a heredoc) is supported`,
    );
  }
  const script = scripts.join("\n");
  if (/^#n(\n|$)/.test(script)) quiet = true;
  return { script, quiet, extended };
}

/** Refuses a regex search whose backtracking could explode on `text`. */
function checkCost(regex: SedRegex, text: string): void {
  if (regex.repeats >= 3 && Math.pow(text.length + 1, regex.repeats) > 1e9) {
    throw new EvalLimit("sed", "matching this sed regular expression could take too long");
  }
}

function addressMatches(a: SedAddress | undefined, line: string, n: number, last: boolean) {
  if (a === undefined) return true;
  if (a.kind === "line") return a.line === n;
  if (a.kind === "last") return last;
  checkCost(a.regex, line);
  a.regex.re.lastIndex = 0;
  return a.regex.re.test(line);
}

function applyCase(s: string, to: "U" | "L" | undefined): string {
  return to === "U" ? s.toUpperCase() : to === "L" ? s.toLowerCase() : s;
}

/** Builds the replacement of one match, with GNU's `\U \L \E \u \l`. */
function replacement(pieces: readonly ReplacementPiece[], m: RegExpExecArray): string {
  let out = "";
  let mode: "U" | "L" | undefined;
  let once: "U" | "L" | undefined;
  for (const p of pieces) {
    if (p.kind === "case") {
      if (p.to === "u" || p.to === "l") once = p.to === "u" ? "U" : "L";
      else mode = p.to === "E" ? undefined : p.to;
      continue;
    }
    const text = p.kind === "text" ? p.text : m[p.group] ?? "";
    if (once !== undefined) {
      if (text === "") {
        refuse("sed \\u", "sed \\u or \\l before an empty group, which GNU sed handles specially");
      }
      out += applyCase(text[0], once) + applyCase(text.slice(1), mode);
      once = undefined;
    } else out += applyCase(text, mode);
  }
  return out;
}

/** Runs one `s` command on `line`; returns the new line, or undefined when nothing matched. */
export function substitute(s: Substitution, line: string): string | undefined {
  checkCost(s.regex, line);
  const re = s.regex.re;
  let out = "";
  let pos = 0;
  let count = 0;
  let replaced = false;
  let prevEnd = -1;
  while (pos <= line.length) {
    re.lastIndex = pos;
    const m = re.exec(line);
    if (m === null) break;
    const start = m.index, end = start + m[0].length;
    if (start === end && start === prevEnd) {
      // GNU sed skips an empty match right after the previous match.
      if (start >= line.length) break;
      out += line.slice(pos, start + 1);
      pos = start + 1;
      continue;
    }
    count++;
    out += line.slice(pos, start);
    if (count >= s.occurrence) {
      out += replacement(s.replacement, m);
      replaced = true;
    } else out += m[0];
    prevEnd = end;
    if (replaced && !s.global) {
      pos = end;
      break;
    }
    if (start === end) {
      if (start >= line.length) {
        pos = end;
        break;
      }
      out += line[start];
      pos = start + 1;
    } else pos = end;
  }
  if (!replaced) return undefined;
  return out + line.slice(pos);
}

/** Runs a parsed sed script on `input` as GNU sed reads standard input. */
export function runSed(commands: readonly SedCommand[], quiet: boolean, input: string): SedResult {
  if (input === "") return { output: "", status: 0 };
  const lines = input.split("\n");
  const finalNewline = lines[lines.length - 1] === "";
  if (finalNewline) lines.pop();
  let output = "";
  let missingNewline = false;
  const emit = (text: string, hasNewline: boolean) => {
    if (missingNewline) output += "\n";
    output += text + (hasNewline ? "\n" : "");
    missingNewline = !hasNewline;
  };
  for (let n = 1; n <= lines.length; n++) {
    let space = lines[n - 1];
    const last = n === lines.length;
    const newline = !last || finalNewline;
    let deleted = false;
    let quit: { status: number; print: boolean } | undefined;
    for (const cmd of commands) {
      if (addressMatches(cmd.address, space, n, last) === cmd.negate) continue;
      if (cmd.name === "p") emit(space, newline);
      else if (cmd.name === "=") emit(String(n), true);
      else if (cmd.name === "d") {
        deleted = true;
        break;
      } else if (cmd.name === "q" || cmd.name === "Q") {
        quit = { status: cmd.exitStatus ?? 0, print: cmd.name === "q" };
        break;
      } else if (cmd.subst) {
        const next = substitute(cmd.subst, space);
        if (next !== undefined) {
          space = next;
          if (cmd.subst.print) emit(space, newline);
        }
      }
    }
    if (!deleted && !quiet && (quit === undefined || quit.print)) emit(space, newline);
    if (quit) {
      // GNU sed's q ends its output with a newline even when the input lacked one.
      if (quit.print && missingNewline) output += "\n";
      return { output, status: quit.status };
    }
  }
  return { output, status: 0 };
}

function sedCommand(ev: Evaluator, args: string[]): number {
  const inv = parseSedArgs(args);
  const commands = parseSedScript(inv.script, inv.extended);
  const input = ev.stdin;
  if (input === undefined) {
    refuse(
      "sed without input",
      `sed reading the standard input ${ev.profile.host} inherits; only a pipe, a here-string or a heredoc is supported`,
    );
  }
  requireAscii("sed", inv.script, "scripts");
  requireAscii("sed", input, "text");
  const { output, status } = runSed(commands, inv.quiet, input);
  ev.write(output);
  return status;
}

/** The sed command, for the evaluator's table of pure commands. */
export const SED_COMMANDS: Record<string, (ev: Evaluator, args: string[]) => number> = {
  sed: sedCommand,
};
