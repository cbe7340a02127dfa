/**
 * Entry point of the CLI: finds the command, parses its options, resolves
 * settings, checks permissions, runs it and maps any failure to its exit code.
 *
 * `--help` and `--version` import nothing but the command table, so they
 * start fast; each command's module (and the library behind it) is
 * imported only when that command runs. `list`, `verify` and `info` are
 * the only commands in the graph `deno run` loads at start (`_load.ts`:
 * the others are loaded on use), and they load no `node:` module
 * (`_argv.ts`, `src/_path.ts`; `verify` imports `node:crypto` only to hash
 * a file over 4 MiB): loading one costs 0.3x to 1.5x the CPU of Deno's
 * whole start (BENCHMARKS.md).
 *
 * @module
 */

import { ExitCode, ProvisionerError } from "../errors.ts";
import { UsageError } from "./errors.ts";
import { commandHelp, globalHelp } from "./help.ts";
import { denoStreams, type Renderer, type Streams } from "./render/mod.ts";
import { COMMANDS, type CommandSpec, findCommand, PROGRAM, VERSION } from "./spec.ts";
import { closest } from "../suggest.ts";

/** Options of {@link main}, for embedding and tests. */
export interface MainOptions {
  /** Where output goes. @default stdout and stderr */
  readonly streams?: Streams;
  /** Directory relative paths are resolved against. @default Deno.cwd() */
  readonly cwd?: string;
}

/**
 * Answers `--help` and `--version` without parsing the command line (help
 * wins over anything else on it); undefined when neither is asked for or the
 * command is unknown.
 */
function helpOrVersion(args: readonly string[], streams: Streams): number | undefined {
  const help = args.includes("--help") || args.includes("-h");
  const version = args.includes("--version") || args.includes("-V");
  if (!help && !version) return undefined;
  const words = args.filter((a) => !a.startsWith("-"));
  if (words.length === 0 || !help) {
    if (words.length && !findCommand(words[0])) return undefined;
    streams.out(help ? globalHelp() : `${PROGRAM} ${VERSION}\n`);
    return ExitCode.ok;
  }
  const spec = findCommand(words[0]);
  if (!spec) return undefined;
  streams.out(commandHelp(spec));
  return ExitCode.ok;
}

/** Splits `args` into the command (one or two words) and the rest. */
function splitCommand(args: readonly string[]): { spec?: CommandSpec; rest: string[] } {
  const index = args.findIndex((a) => !a.startsWith("-"));
  if (index < 0) return { rest: [...args] };
  const name = args[index];
  const spec = findCommand(name);
  if (!spec) {
    const guess = closest(name, COMMANDS.map((c) => c.name.split(" ")[0]));
    throw new UsageError(`Unknown command ${name}`, {
      hint: guess ? `did you mean \`${PROGRAM} ${guess}\`?` : `see \`${PROGRAM} --help\``,
    });
  }
  const rest = [...args.slice(0, index), ...args.slice(index + 1)];
  const words = spec.name.split(" ");
  if (words.length === 2) {
    const sub = rest.findIndex((a) => !a.startsWith("-"));
    if (sub < 0 || rest[sub] !== words[1]) {
      if (rest.includes("--help") || rest.includes("-h")) return { spec, rest };
      throw new UsageError(`Unknown command ${name} ${rest[sub] ?? ""}`.trimEnd(), {
        hint: `did you mean \`${PROGRAM} ${spec.name}\`?`,
      });
    }
    rest.splice(sub, 1);
  }
  return { spec, rest };
}

/** Runs the CLI with `args` and resolves to the process exit code. */
export async function main(args: readonly string[], options: MainOptions = {}): Promise<number> {
  const streams = options.streams ?? denoStreams;
  const quick = helpOrVersion(args, streams);
  if (quick !== undefined) return quick;
  const json = args.includes("--json");
  let commandName = "";
  let renderer: Renderer | undefined;
  try {
    const { checkPositionals, flag, parseCommandLine } = await import("./args.ts");
    const { spec, rest } = splitCommand(args);
    const parsed = parseCommandLine(rest, spec);
    if (!spec) {
      if (flag(parsed, "version")) {
        streams.out(`${PROGRAM} ${VERSION}\n`);
        return ExitCode.ok;
      }
      if (flag(parsed, "help")) {
        streams.out(globalHelp());
        return ExitCode.ok;
      }
      streams.err(globalHelp());
      return ExitCode.usage;
    }
    commandName = spec.name;
    if (flag(parsed, "help")) {
      streams.out(commandHelp(spec));
      return ExitCode.ok;
    }
    if (flag(parsed, "version")) {
      streams.out(`${PROGRAM} ${VERSION}\n`);
      return ExitCode.ok;
    }
    checkPositionals(spec, parsed.positionals);
    const { runCommand } = await import("./run.ts");
    const { commandLoader } = await import("./_load.ts");
    return await runCommand(spec, parsed, commandLoader(spec.name), {
      streams,
      cwd: options.cwd ?? Deno.cwd(),
      onRenderer: (r) => renderer = r,
    });
  } catch (error) {
    const verbose = args.includes("--verbose") || args.includes("-v");
    return await reportFailure(error, { json, verbose, commandName, streams, renderer });
  }
}

/** Prints `error` as one line (or a JSON result) and returns its exit code. */
export async function reportFailure(
  error: unknown,
  where: {
    json: boolean;
    verbose: boolean;
    commandName: string;
    streams: Streams;
    renderer?: Renderer;
  },
): Promise<number> {
  const { toProvisionerError } = await import("./failure.ts");
  const failure = toProvisionerError(error);
  if (where.renderer) {
    where.renderer.error(where.commandName, failure);
  } else if (where.json) {
    const { JsonRenderer } = await import("./render/json.ts");
    new JsonRenderer(where.streams).error(where.commandName, failure);
  } else {
    const { errorLine } = await import("./render/mod.ts");
    where.streams.err(`${errorLine(failure)}\n`);
  }
  if (!(error instanceof ProvisionerError) && !(error instanceof Deno.errors.NotCapable)) {
    if (where.verbose) {
      where.streams.err(`${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
  return failure.exitCode;
}
