/**
 * What the text commands (`tr`, `cut`, `seq`, `head`, `tail`) share: GNU
 * getopt_long-style option parsing that refuses what it does not know, and
 * reading standard input (never a file).
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";

/** The options one command accepts. */
export interface OptionSpec {
  /** Short options, one character each. */
  readonly short: string;
  /** Option keys (short letters or long names) that take a value. */
  readonly valued: readonly string[];
  /** Long option names mapped to their key (a short letter, or the long name itself). */
  readonly long: Readonly<Record<string, string>>;
  /** True to accept options after operands (GNU permutation), false to stop at the first operand. */
  readonly permute: boolean;
  /** Stops option parsing before an argument this returns true for (`seq -1`). */
  readonly operandLike?: (arg: string) => boolean;
}

/** Parsed arguments: the options in order (key, value) and the operands. */
export interface ParsedArgs {
  /** The options as given, in order; flags have the value `""`. */
  readonly opts: [string, string][];
  /** The operands. */
  readonly operands: string[];
}

/** Parses `args` as GNU getopt_long would for `spec`; unknown options are refused. */
export function parseArgs(cmd: string, args: readonly string[], spec: OptionSpec): ParsedArgs {
  const opts: [string, string][] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-" || spec.operandLike?.(a)) {
      if (!spec.permute) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(a);
      continue;
    }
    if (a.startsWith("--")) {
      i = parseLong(cmd, args, i, spec, opts);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (!spec.short.includes(f)) {
        refuse(`${cmd} -${f}`, `the ${cmd} option -${f} is not supported`);
      }
      if (!spec.valued.includes(f)) {
        opts.push([f, ""]);
        continue;
      }
      const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
      if (value === undefined) refuse(`${cmd} -${f}`, `${cmd} -${f} without a value fails`);
      opts.push([f, value]);
      break;
    }
  }
  return { opts, operands };
}

function parseLong(
  cmd: string,
  args: readonly string[],
  i: number,
  spec: OptionSpec,
  opts: [string, string][],
): number {
  const a = args[i];
  const eq = a.indexOf("=");
  const name = a.slice(2, eq === -1 ? undefined : eq);
  const exact = Object.hasOwn(spec.long, name) ? [name] : [];
  const matches = exact.length ? exact : Object.keys(spec.long).filter((l) => l.startsWith(name));
  const keys = new Set(matches.map((l) => spec.long[l]));
  if (name === "" || keys.size !== 1) {
    const shown = eq === -1 ? a : a.slice(0, eq);
    refuse(`${cmd} ${shown}`, `the ${cmd} option ${shown} is not supported`);
  }
  const key = spec.long[matches[0]];
  if (!spec.valued.includes(key)) {
    if (eq !== -1) refuse(`${cmd} ${a}`, `${cmd} --${matches[0]} takes no value`);
    opts.push([key, ""]);
    return i;
  }
  if (eq !== -1) {
    opts.push([key, a.slice(eq + 1)]);
    return i;
  }
  if (i + 1 >= args.length) refuse(`${cmd} ${a}`, `${cmd} ${a} without a value fails`);
  opts.push([key, args[i + 1]]);
  return i + 1;
}

/** The value of the last occurrence of option `key`, or undefined. */
export function lastOption(parsed: ParsedArgs, key: string): string | undefined {
  let value: string | undefined;
  for (const [k, v] of parsed.opts) if (k === key) value = v;
  return value;
}

/** True when option `key` was given. */
export function hasOption(parsed: ParsedArgs, key: string): boolean {
  return parsed.opts.some(([k]) => k === key);
}

/** Refuses any operand but a single `-` (standard input): the commands never read files. */
export function onlyStandardInput(cmd: string, operands: readonly string[]): void {
  for (const o of operands) {
    if (o !== "-") {
      refuse(`${cmd} ${o}`, `${cmd} reads the file '${o}'; only standard input is supported`);
    }
  }
  if (operands.length > 1) {
    refuse(`${cmd} - -`, `${cmd} with standard input named more than once is not supported`);
  }
}

/** Takes the command's whole standard input; refused when it is the host's own. */
export function takeStdin(ev: Evaluator, cmd: string): string {
  const input = ev.stdin;
  if (input === undefined) {
    refuse(
      `${cmd} reading standard input`,
      `${cmd} reads ${ev.profile.host}'s standard input (give it a pipe, a here-string or a heredoc)`,
    );
  }
  ev.stdin = "";
  return input;
}

/** True when every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

/** Refuses non-ASCII `text`: the bytes depend on the locale's encoding. */
export function requireAscii(cmd: string, text: string, what: string): void {
  if (!isAscii(text)) {
    refuse(
      `${cmd} on non-ASCII text`,
      `${cmd} on non-ASCII ${what} depends on the locale's encoding and is not supported`,
    );
  }
}

/** Splits `text` into lines, each with its newline (the last may lack one). */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}
