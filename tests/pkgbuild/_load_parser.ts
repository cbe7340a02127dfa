/**
 * Loads `parsePkgbuild` from `src/pkgbuild/parse.ts` at run time, so tests
 * and benchmarks written before the evaluator exists still type-check and
 * run (they skip what needs it). The specifier is computed so `deno check`
 * does not resolve it.
 *
 * @module
 */

import type { Pkgbuild } from "../../src/pkgbuild/model.ts";

/** The signature of `parsePkgbuild` (issue 2's interface). */
export type ParsePkgbuild = (text: string, options?: { carch?: string }) => Pkgbuild;

/** Returns `parsePkgbuild`, or `undefined` when `src/pkgbuild/parse.ts` does not exist yet. */
export async function loadParsePkgbuild(): Promise<ParsePkgbuild | undefined> {
  const url = new URL("../../src/pkgbuild/parse.ts", import.meta.url);
  try {
    await Deno.stat(url);
  } catch {
    return undefined;
  }
  const module = await import(url.href) as { parsePkgbuild?: ParsePkgbuild };
  return module.parsePkgbuild;
}

/** True when `error` is the evaluator's refusal (`PkgbuildRefusedError`), matched by name or code. */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === "PkgbuildRefusedError" || (typeof code === "string" && /REFUS/.test(code));
}

/** True when `error` is one of the project's typed errors (it has a string `code`). */
export function isTypedError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}
