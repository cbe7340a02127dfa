/**
 * A command-line tokenizer with the semantics (and error messages) of
 * `node:util` `parseArgs` in strict mode with positionals allowed, for the
 * options the CLI declares (string or boolean, short aliases, repeatable).
 * It imports nothing: loading `node:util` starts Deno's Node.js
 * compatibility layer, which costs more than parsing a command line should
 * (`BENCHMARKS.md`, cold start). `tests/cli/argv_test.ts` checks it against
 * `parseArgs` itself.
 *
 * @module
 */

/** How one option is parsed (the shape `parseArgs` takes). */
export interface ArgvOption {
  /** `string` takes a value, `boolean` does not. */
  readonly type: "string" | "boolean";
  /** One-character alias. */
  readonly short?: string;
  /** Repeatable: the values are collected in order. */
  readonly multiple?: boolean;
}

/** Parsed option values by long name, and the positionals. */
export interface ArgvResult {
  /** Values of the options given (absent ones are not keys). */
  readonly values: Record<string, string | boolean | (string | boolean)[]>;
  /** Positional arguments in order. */
  readonly positionals: string[];
}

/** An invalid command line; `message` is worded as `parseArgs` words it. */
export class ArgvError extends Error {
  override name = "ArgvError";
}

/**
 * Parses `args` against `options` like `parseArgs({ args, options, strict:
 * true, allowPositionals: true })`; throws {@link ArgvError} where it throws.
 */
export function parseArgv(
  args: readonly string[],
  options: Readonly<Record<string, ArgvOption>>,
): ArgvResult {
  const values: ArgvResult["values"] = {};
  const positionals: string[] = [];
  const longOf = (short: string) =>
    Object.keys(options).find((name) => options[name].short === short) ?? short;
  const typeOf = (name: string) => Object.hasOwn(options, name) ? options[name].type : undefined;
  const store = (name: string, raw: string, value: string | undefined, inline: boolean) => {
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!option) {
      throw new ArgvError(
        `Unknown option '${raw}'. To specify a positional argument starting with a '-', ` +
          `place it at the end of the command after '--', as in '-- ${JSON.stringify(raw)}`,
      );
    }
    const label = option.short ? `-${option.short}, --${name}` : `--${name}`;
    if (option.type === "string" && value === undefined) {
      throw new ArgvError(`Option '${label} <value>' argument missing`);
    }
    if (option.type === "boolean" && value !== undefined) {
      throw new ArgvError(`Option '${label}' does not take an argument`);
    }
    if (option.type === "string" && !inline && value!.length > 1 && value![0] === "-") {
      const example = raw.startsWith("--") ? `'${raw}=-XYZ'` : `'--${name}=-XYZ' or '${raw}-XYZ'`;
      throw new ArgvError(
        `Option '${raw}' argument is ambiguous.\nDid you forget to specify the option argument ` +
          `for '${raw}'?\nTo specify an option argument starting with a dash use ${example}.`,
      );
    }
    const stored = value ?? true;
    if (option.multiple) {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, stored] : [stored];
    } else values[name] = stored;
  };
  const queue = [...args];
  while (queue.length) {
    const arg = queue.shift()!;
    if (arg === "--") {
      positionals.push(...queue);
      break;
    }
    if (arg.length < 2 || arg[0] !== "-") {
      positionals.push(arg);
    } else if (arg[1] !== "-") {
      const name = longOf(arg[1]);
      if (arg.length === 2) {
        const value = typeOf(name) === "string" && queue.length ? queue.shift() : undefined;
        store(name, arg, value, false);
      } else if (typeOf(name) === "string") {
        store(name, arg.slice(0, 2), arg.slice(2), true);
      } else {
        queue.unshift(...shortGroup(arg, longOf, typeOf));
      }
    } else {
      const eq = arg.indexOf("=");
      if (arg.includes("=", 3)) {
        store(arg.slice(2, eq), arg.slice(0, eq), arg.slice(eq + 1), true);
      } else {
        const name = arg.slice(2);
        const value = typeOf(name) === "string" && queue.length ? queue.shift() : undefined;
        store(name, arg, value, false);
      }
    }
  }
  return { values, positionals };
}

/** `-abfFILE` as `-a -b -fFILE`: a string option takes the rest of the group. */
function shortGroup(
  arg: string,
  longOf: (short: string) => string,
  typeOf: (name: string) => string | undefined,
): string[] {
  const expanded: string[] = [];
  for (let i = 1; i < arg.length; i++) {
    if (typeOf(longOf(arg[i])) !== "string" || i === arg.length - 1) {
      expanded.push(`-${arg[i]}`);
    } else {
      expanded.push(`-${arg.slice(i)}`);
      break;
    }
  }
  return expanded;
}
