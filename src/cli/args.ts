/**
 * Parses a command line the way `node:util` `parseArgs` does (`_argv.ts`,
 * without loading `node:util`): the global options plus the command's own,
 * strict (an unknown flag is a usage error naming the command's `--help`).
 *
 * @module
 */

import { type ArgvOption, parseArgv } from "./_argv.ts";
import { UsageError } from "./errors.ts";
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec, PROGRAM } from "./spec.ts";
import { closest } from "../suggest.ts";

/** The values of a parsed command line. */
export interface ParsedArgs {
  /** Option values by long name (`cache-dir`), `undefined` when absent. */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Positional arguments after the command name(s). */
  readonly positionals: readonly string[];
}

/** The options of `specs` in the shape `parseArgv` (and `node:util` `parseArgs`) take. */
export function toParseOptions(specs: readonly OptionSpec[]): Record<string, ArgvOption> {
  const out: Record<string, ArgvOption> = {};
  for (const s of specs) {
    out[s.name] = {
      type: s.type,
      ...(s.short ? { short: s.short } : {}),
      ...(s.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

function helpHint(command?: CommandSpec): string {
  return command ? `see \`${PROGRAM} ${command.name} --help\`` : `see \`${PROGRAM} --help\``;
}

/**
 * Parses `args` against the global options and, when given, `command`'s
 * options. Throws {@link UsageError} for an unknown flag or a missing value.
 */
export function parseCommandLine(args: readonly string[], command?: CommandSpec): ParsedArgs {
  const specs = command ? [...GLOBAL_OPTIONS, ...command.options] : GLOBAL_OPTIONS;
  try {
    const { values, positionals } = parseArgv(args, toParseOptions(specs));
    checkConflicts(values as ParsedArgs["values"], command);
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const raw = error instanceof Error ? error.message : String(error);
    throw new UsageError(describeParseError(raw), {
      hint: optionGuess(raw, specs, command) ?? helpHint(command),
      cause: error,
    });
  }
}

/** Pairs of options that contradict each other. */
const CONFLICTS: readonly (readonly [string, string])[] = [
  ["quiet", "verbose"],
  ["arch", "carch"],
];

function checkConflicts(values: ParsedArgs["values"], command?: CommandSpec): void {
  for (const [a, b] of CONFLICTS) {
    if (values[a] !== undefined && values[b] !== undefined) {
      throw new UsageError(`Options --${a} and --${b} cannot be used together`, {
        hint: `pass one of them; ${helpHint(command)}`,
      });
    }
  }
}

/** "did you mean --catalog?" for an unknown option close to a known one (or one of another command). */
function optionGuess(
  message: string,
  specs: readonly OptionSpec[],
  command?: CommandSpec,
): string | undefined {
  const unknown = message.match(/Unknown option '--?([^'=]+)/);
  if (!unknown) return undefined;
  const guess = closest(unknown[1], specs.map((s) => s.name));
  if (guess) return `did you mean --${guess}? (${helpHint(command)})`;
  const owners = COMMANDS.filter((c) => c.options.some((o) => o.name === unknown[1]));
  if (!command || !owners.length) return undefined;
  return `--${unknown[1]} is an option of ${owners.map((c) => `\`${c.name}\``).join(", ")}, ` +
    `not of \`${command.name}\`; ${helpHint(command)}`;
}

function describeParseError(message: string): string {
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `Unknown option ${unknown[1]}`;
  const missing = message.match(/Option '([^']+)' argument missing/);
  if (missing) {
    return `Option ${missing[1].replace(/^-\w, /, "").replace(/ <value>$/, "")} needs a value`;
  }
  const noValue = message.match(/Option '([^']+)' does not take an argument/);
  if (noValue) return `Option ${noValue[1].replace(/^-\w, /, "")} takes no value`;
  return message.split("\n")[0].replace(/\.$/, "");
}

/** Checks the positional count of `command`; throws {@link UsageError} when it is wrong. */
export function checkPositionals(command: CommandSpec, positionals: readonly string[]): void {
  const [min, max] = command.positionals;
  if (positionals.length < min) {
    throw new UsageError(`Missing argument: usage: ${PROGRAM} ${command.usage}`, {
      hint: helpHint(command),
    });
  }
  if (max >= 0 && positionals.length > max) {
    throw new UsageError(`Unexpected argument ${positionals[max]}`, { hint: helpHint(command) });
  }
}

/** Returns the string value of option `name`, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/** Returns every value of repeatable option `name` (`--toolchain A --toolchain B`), in order. */
export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? [...v] : typeof v === "string" ? [v] : [];
}

/** Returns whether boolean option `name` was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
