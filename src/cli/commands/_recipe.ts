/**
 * Locating and reading a local recipe (`PKGBUILD` file or recipe directory)
 * for `srcinfo`, `lint` and local installs, with the permissions that takes.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import type { Pkgbuild } from "../../pkgbuild/model.ts";
import { ExitCode, ProvisionerError } from "../../errors.ts";
import { ensureGranted, type PermissionNeed, readNeed } from "../permissions.ts";
import { pkgbuildModule, requireExport, runModule } from "../library.ts";

/** A local recipe: its directory and its PKGBUILD file. */
export interface LocalRecipe {
  /** The recipe directory (`startdir`). */
  readonly dir: string;
  /** The PKGBUILD file. */
  readonly file: string;
  /** The PKGBUILD's text. */
  readonly text: string;
  /** File names in the recipe directory (for lint's install/changelog checks). */
  readonly files: readonly string[];
}

/** The permission to look at `arg` (a PKGBUILD file or a recipe directory). */
export function recipeArgNeeds(arg: string, cwd: string): PermissionNeed[] {
  const path = resolve(cwd, arg);
  return [readNeed(basename(path) === "PKGBUILD" ? dirname(path) : path)];
}

/** Whether `arg` names a local recipe rather than a catalog worker id. */
export function looksLocal(arg: string): boolean {
  return arg.includes("/") || arg === "." || arg === ".." || basename(arg) === "PKGBUILD";
}

/** Reads the recipe at `arg`: a directory holding `PKGBUILD`, or a PKGBUILD file. */
export async function readLocalRecipe(arg: string, cwd: string): Promise<LocalRecipe> {
  const path = resolve(cwd, arg);
  const info = await Deno.stat(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new ProvisionerError("RECIPE_NOT_FOUND", ExitCode.notFound, `No such recipe: ${arg}`, {
        hint: "give a PKGBUILD file or a directory that holds one",
      });
    }
    throw error;
  });
  const dir = info.isDirectory ? path : dirname(path);
  if (!info.isDirectory) ensureGranted([readNeed(dir)]);
  const file = info.isDirectory ? join(path, "PKGBUILD") : path;
  const text = await Deno.readTextFile(file).catch((error) => {
    if (error instanceof Deno.errors.NotFound) {
      throw new ProvisionerError("RECIPE_NOT_FOUND", ExitCode.notFound, `No PKGBUILD in ${dir}`, {
        hint: "give a PKGBUILD file or a directory that holds one",
      });
    }
    throw error;
  });
  return { dir, file, text, files: await listRecipeFiles(dir) };
}

const MAX_RECIPE_FILES = 10_000;

/** Relative `/`-separated paths of the files under `dir` (a few levels deep, bounded). */
export async function listRecipeFiles(dir: string, depth = 3): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string, prefix: string, level: number) => {
    for await (const entry of Deno.readDir(path)) {
      if (files.length >= MAX_RECIPE_FILES) return;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (level < depth && entry.name !== "src" && entry.name !== "pkg") {
          await walk(join(path, entry.name), rel, level + 1);
        }
      } else files.push(rel);
    }
  };
  await walk(dir, "", 1);
  return files.sort();
}

/** Options of {@link evaluateRecipe}. */
export interface EvaluateOptions {
  /** CARCH to evaluate for. */
  readonly carch: string;
  /** Fall back to sourcing the PKGBUILD in a sandboxed bash when the static evaluator refuses. */
  readonly trusted: boolean;
  /** The command asking, for "not available" errors. */
  readonly command: string;
  /** Cancels the trusted fallback. */
  readonly signal?: AbortSignal;
}

/** Codes of the static evaluator's refusals (constructs it will not evaluate). */
const REFUSAL_CODES: readonly string[] = ["PKGBUILD_REFUSED", "PKGBUILD_TOO_COMPLEX"];

type ParsePkgbuild = (text: string, options?: { carch?: string }) => Pkgbuild;
type ReadTrusted = (
  pkgbuildPath: string,
  options: { carch: string; signal?: AbortSignal },
) => Promise<Pkgbuild>;

/** Evaluates `recipe` statically, or (with `trusted`) in a sandboxed bash when refused. */
export async function evaluateRecipe(
  recipe: LocalRecipe,
  options: EvaluateOptions,
): Promise<Pkgbuild> {
  const mod = await pkgbuildModule();
  const parse = requireExport<ParsePkgbuild>(mod, "parsePkgbuild", options.command);
  try {
    return parse(recipe.text, { carch: options.carch });
  } catch (error) {
    const refused = error instanceof ProvisionerError && REFUSAL_CODES.includes(error.code);
    if (!refused) throw error;
    if (!options.trusted) throw withTrustedHint(error, options.command);
  }
  const run = await runModule();
  const trusted = requireExport<ReadTrusted>(run, "readPkgbuildTrusted", options.command);
  return await trusted(recipe.file, { carch: options.carch, signal: options.signal });
}

/** Adds "pass --trusted" to a refusal of `srcinfo` (other commands have no such flag). */
function withTrustedHint(error: ProvisionerError, command: string): ProvisionerError {
  if (command !== "srcinfo") return error;
  return new ProvisionerError(error.code, error.exitCode, error.message, {
    cause: error,
    hint: "pass --trusted to read it by sourcing it in a sandboxed bash",
  });
}

/**
 * The permissions the trusted fallback needs: setsid, bash, bwrap for its
 * sandbox, and ps and kill for the process-tree sweep after it.
 */
export function trustedNeeds(): PermissionNeed[] {
  return ["bash", "bwrap", "kill", "ps", "setsid"].map((command): PermissionNeed => ({
    name: "run",
    command,
  }));
}
