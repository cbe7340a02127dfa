/**
 * Runs `cli.ts` as a subprocess under exactly the permission flags the
 * compiled binary has (or under the flags a test gives), never `-A`.
 *
 * @module
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { testDenoDir } from "../_deno_dir.ts";

/** Absolute path of cli.ts. */
export const CLI_PATH: string = fromFileUrl(new URL("../../cli.ts", import.meta.url));

/** Absolute path of the repository. */
export const REPO: string = fromFileUrl(new URL("../../", import.meta.url));

/** What a CLI run produced. */
export interface CliRun {
  /** Exit status. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Deno permission flags. @default COMPILE_PERMISSION_FLAGS */
  readonly flags?: readonly string[];
  /** Environment variables added (NO_COLOR is unset unless given). */
  readonly env?: Record<string, string>;
  /** Working directory. @default the repository */
  readonly cwd?: string;
}

/** The `deno run` argument list for `args` under `flags`. */
export function cliCommandArgs(args: readonly string[], flags?: readonly string[]): string[] {
  return ["run", ...(flags ?? COMPILE_PERMISSION_FLAGS), CLI_PATH, ...args];
}

/** Runs the CLI with `args` and collects its output. */
export async function runCli(
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: cliCommandArgs(args, options.flags),
    cwd: options.cwd ?? REPO,
    // A HOME of the test's own would move Deno's cache: keep one that holds the CLI's npm packages.
    env: {
      DENO_NO_UPDATE_CHECK: "1",
      ...(options.env?.HOME !== undefined ? { DENO_DIR: testDenoDir() } : {}),
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** Every path under `dir`, relative, sorted (to prove nothing was written). */
export async function treeOf(dir: string): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      paths.push(rel);
      if (e.isDirectory) await walk(`${d}/${e.name}`, rel);
    }
  };
  await walk(dir, "");
  return paths.sort();
}

/** Any ANSI escape or carriage return (a renderer that is not append-only). */
// deno-lint-ignore no-control-regex
export const CONTROL_CODES: RegExp = /\x1b|\r/;
