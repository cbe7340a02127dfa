/**
 * What every tidy step receives: the package tree, the options in force and
 * a way to start the binutils/gzip programs some steps need.
 *
 * @module
 */

import { checkOption, type TidyConfig } from "./options.ts";
import { TidyToolError } from "./errors.ts";

/** The context of one tidy run over one package tree (makepkg's `$pkgdir`). */
export interface TidyContext {
  /** The package tree. */
  readonly pkgdir: string;
  /** makepkg's `$pkgdirbase` (the debug package is made there). */
  readonly pkgdirBase: string;
  /** `pkgbase` (names the debug package `<pkgbase>-debug`). */
  readonly pkgbase: string;
  /** makepkg's `$srcdir` (debug sources are copied from there). */
  readonly srcdir: string;
  /** makepkg.conf's values. */
  readonly config: TidyConfig;
  /** The recipe's `options=()` for this package. */
  readonly recipeOptions: readonly string[];
  /** Cancels between files. */
  readonly signal?: AbortSignal;
}

/** libmakepkg's `check_option` over the context's options. */
export function optionIs(ctx: TidyContext, name: string, expected: "y" | "n"): boolean {
  return checkOption(name, expected, ctx.config.options, ctx.recipeOptions);
}

/** What a program printed and whether it succeeded. */
export interface ToolResult {
  /** Exit status 0. */
  readonly ok: boolean;
  /** Its standard output. */
  readonly stdout: string;
}

/**
 * Runs `program` with `args` in `cwd` (C locale, no other environment).
 * Resolves with its outcome; rejects with {@link TidyToolError} only when it
 * cannot be started (missing, or not permitted).
 */
export async function runTool(
  program: string,
  args: readonly string[],
  cwd: string,
): Promise<ToolResult> {
  try {
    const out = await new Deno.Command(program, {
      args: [...args],
      cwd,
      env: { LC_ALL: "C", PATH: "/usr/local/bin:/usr/bin:/bin" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return { ok: out.success, stdout: new TextDecoder().decode(out.stdout) };
  } catch (error) {
    throw new TidyToolError(program, error);
  }
}
