/**
 * The command table of the CLI as plain data: names, arguments, options,
 * environment variables and examples. `--help` and the argument parser read
 * it; it imports nothing but the default catalog URL, so `cli.ts --help`
 * stays fast.
 *
 * The table itself is `spec.json`, loaded as a JSON module: every command
 * starts by loading it, and as TypeScript (868 lines of object literals)
 * it cost 16% of Deno's empty start in instructions, nearly all of it
 * Deno handling the source map of the transpiled module; as JSON it costs
 * a quarter of that (BENCHMARKS.md, cold start). Its shape is
 * {@link SpecTable}; in a command's `options`, a string names an entry of
 * `sharedOptions` (one option, or a group spliced in place).
 * `tests/cli/spec_test.ts` checks its shape.
 *
 * @module
 */

import { DEFAULT_CATALOG_URL } from "../provision/catalog/default_url.ts";
import table from "./spec.json" with { type: "json" };

/** One command-line option. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `cache-dir`. */
  readonly name: string;
  /** One-letter alias, if any. */
  readonly short?: string;
  /** `string` options take a value, `boolean` ones do not. */
  readonly type: "string" | "boolean";
  /** Name of the value in help text, e.g. `DIR`. */
  readonly value?: string;
  /** What it does, one line. */
  readonly description: string;
  /** The environment variable that sets it when the flag is absent. */
  readonly env?: string;
  /** The default, as shown by `--help`. */
  readonly default?: string;
  /** The option may be given several times; its values are kept in order. @default false */
  readonly multiple?: boolean;
}

/** The settings a command may resolve from flags, environment and defaults. */
export type Setting = "catalog" | "root" | "cacheDir" | "stateDir" | "arch";

/** One command of the CLI. */
export interface CommandSpec {
  /** The command name as typed, e.g. `install` or `catalog serve`. */
  readonly name: string;
  /** One-line summary for the global help. */
  readonly summary: string;
  /** Usage line after the program name. */
  readonly usage: string;
  /** Longer description, a few lines. */
  readonly description: string;
  /** Positional arguments: [min, max] count (max -1 = unbounded). */
  readonly positionals: readonly [number, number];
  /** The options the command takes besides the global ones. */
  readonly options: readonly OptionSpec[];
  /** The settings the command resolves (which decides the env vars it reads). */
  readonly settings: readonly Setting[];
  /** Example invocations with a comment each. */
  readonly examples: readonly (readonly [string, string])[];
}

/** The program name used in help and messages. */
export const PROGRAM = "worker-provisioner";

/** The CLI version (kept equal to deno.json's version by a test). */
export { VERSION } from "../version.ts";

/** Default catalog URL when neither `--catalog` nor `WORKER_CATALOG_URL` is set. */
export { DEFAULT_CATALOG_URL };

/** A command as `spec.json` holds it: `options` may name shared options. */
export interface CommandEntry extends Omit<CommandSpec, "options"> {
  /** Options, or names of `sharedOptions` entries (an option or a group of them). */
  readonly options: readonly (string | OptionSpec)[];
}

/** The shape of `spec.json`. */
export interface SpecTable {
  /** {@link GLOBAL_OPTIONS}. */
  readonly globalOptions: readonly OptionSpec[];
  /** Options and groups of options several commands take, by name. */
  readonly sharedOptions: Readonly<Record<string, OptionSpec | readonly OptionSpec[]>>;
  /** {@link COMMANDS}, with shared options by name. */
  readonly commands: readonly CommandEntry[];
  /** {@link ENVIRONMENT}. */
  readonly environment: readonly (readonly [string, string])[];
}

/** `spec.json`, typed (its shape is checked by `tests/cli/spec_test.ts`). */
export const SPEC_TABLE: SpecTable = table as unknown as SpecTable;

/** A command's options with the names of shared options replaced by them. */
function resolveOptions(options: CommandEntry["options"]): OptionSpec[] {
  return options.flatMap((o) => typeof o === "string" ? SPEC_TABLE.sharedOptions[o] : [o]);
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = SPEC_TABLE.globalOptions;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = SPEC_TABLE.commands.map((c) => ({
  ...c,
  options: resolveOptions(c.options),
}));

/** Environment variables the CLI reads, each with what it sets. */
export const ENVIRONMENT: readonly (readonly [string, string])[] = SPEC_TABLE.environment;

/** Finds the spec of `name` (`catalog serve` for `catalog`), or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.name.split(" ")[0] === name);
}
