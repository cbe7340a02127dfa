/**
 * Pure external commands the evaluator runs itself because their output
 * depends only on their arguments and standard input, never on files or the
 * host: coreutils' `basename` and `dirname` here (as in
 * `_dir=$(basename "$url")`; options other than `-a`, `-s` and `--` are
 * refused), `tr`, `cut`, `seq`, `head` and `tail` from `text.ts`,
 * and GNU sed's `s`-centred subset from `sed.ts`.
 *
 * @module
 */

import type { Evaluator } from "../eval/evaluator.ts";
import { refuse } from "../eval/refusal.ts";
import { TEXT_COMMANDS } from "./text.ts";
import { SED_COMMANDS } from "./sed.ts";

/** A pure command: writes its output through the evaluator and returns its exit status. */
export type PureCommand = (ev: Evaluator, args: string[]) => number;

/** The pure commands by name. */
export const PURE_COMMANDS: Record<string, PureCommand> = {
  basename: basenameCommand,
  dirname: dirnameCommand,
  ...TEXT_COMMANDS,
  ...SED_COMMANDS,
};

/** Splits leading options off `args`; `valued` options take the next argument. */
function options(
  cmd: string,
  args: string[],
  flags: string,
  valued: string,
): { opts: Map<string, string>; operands: string[] } {
  const opts = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (valued.includes(f)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) refuse(cmd, `${cmd} -${f} without a value fails`);
        opts.set(f, value);
        break;
      }
      if (!flags.includes(f)) refuse(`${cmd} ${a}`, `the ${cmd} option ${a} is not supported`);
      opts.set(f, "");
    }
  }
  return { opts, operands: args.slice(i) };
}

/** coreutils' base name: the last component, trailing slashes removed, then `suffix`. */
export function baseName(name: string, suffix = ""): string {
  if (name === "") return "";
  const trimmed = name.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  const base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return suffix !== "" && base !== suffix && base.endsWith(suffix)
    ? base.slice(0, -suffix.length)
    : base;
}

/** coreutils' directory name: everything before the last component, or `.` or `/`. */
export function dirName(name: string): string {
  const trimmed = name.replace(/\/+$/, "");
  if (trimmed === "") return name.startsWith("/") ? "/" : ".";
  const slash = trimmed.lastIndexOf("/");
  if (slash === -1) return ".";
  const dir = trimmed.slice(0, slash).replace(/\/+$/, "");
  return dir === "" ? "/" : dir;
}

function basenameCommand(ev: Evaluator, args: string[]): number {
  const { opts, operands } = options("basename", args, "a", "s");
  if (operands.length === 0) refuse("basename", "basename without an operand fails");
  const multiple = opts.has("a") || opts.has("s");
  if (!multiple && operands.length > 2) refuse("basename", "basename with an extra operand fails");
  const suffix = opts.get("s") ?? (multiple ? "" : operands[1] ?? "");
  const names = multiple ? operands : [operands[0]];
  ev.write(names.map((n) => baseName(n, suffix) + "\n").join(""));
  return 0;
}

function dirnameCommand(ev: Evaluator, args: string[]): number {
  const { operands } = options("dirname", args, "", "");
  if (operands.length === 0) refuse("dirname", "dirname without an operand fails");
  ev.write(operands.map((n) => dirName(n) + "\n").join(""));
  return 0;
}
