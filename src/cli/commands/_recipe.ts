/**
 * Locating and reading a local recipe (`PKGBUILD` file or recipe directory)
 * for `srcinfo`, `lint` and local installs, with the permissions that takes.
 *
 * @module
 */

import { basename, dirname, resolve } from "node:path";
import { ProvisionerError } from "../../errors.ts";
import { parsePkgbuild, type Pkgbuild } from "../../pkgbuild/mod.ts";
import {
  isStaticRefusal,
  listRecipeFiles,
  parseOrReadTrusted,
  readRecipeFile,
} from "../../provision/recipe.ts";
import { ensureGranted, type PermissionNeed, readNeed } from "../permissions.ts";

/** A local recipe: its directory and its PKGBUILD file. */
export interface LocalRecipe {
  /** The recipe directory (`startdir`). */
  readonly dir: string;
  /** The PKGBUILD file. */
  readonly file: string;
  /** The PKGBUILD's text. */
  readonly text: string;
  /** File names in the recipe directory (for lint's install/changelog checks); unknown for a recipe an HTTP catalog served. */
  readonly files?: readonly string[];
}

/** The permission to look at `arg` (a PKGBUILD file or a recipe directory). */
export function recipeArgNeeds(arg: string, cwd: string): PermissionNeed[] {
  const path = resolve(cwd, arg);
  return [readNeed(basename(path) === "PKGBUILD" ? dirname(path) : path)];
}

/** Reads the recipe at `arg`: a directory holding `PKGBUILD`, or a PKGBUILD file. */
export async function readLocalRecipe(arg: string, cwd: string): Promise<LocalRecipe> {
  const recipe = await readRecipeFile(resolve(cwd, arg));
  ensureGranted([readNeed(recipe.dir)]);
  return { ...recipe, files: await listRecipeFiles(recipe.dir) };
}

/** Options of {@link evaluateRecipe}. */
export interface EvaluateOptions {
  /** CARCH to evaluate for. */
  readonly carch: string;
  /** Fall back to sourcing the PKGBUILD in a sandboxed bash when the static evaluator refuses. */
  readonly trusted: boolean;
  /** The command asking: `srcinfo` adds "pass --trusted" to a refusal. */
  readonly command: string;
  /** Cancels the trusted fallback. */
  readonly signal?: AbortSignal;
}

/** Evaluates `recipe` statically, or (with `trusted`) in a sandboxed bash when refused. */
export async function evaluateRecipe(
  recipe: LocalRecipe,
  options: EvaluateOptions,
): Promise<Pkgbuild> {
  const { carch, signal } = options;
  const readTrusted = async () => {
    const { readPkgbuildTrusted } = await import("../../run/trusted_metadata.ts");
    return await readPkgbuildTrusted(recipe.file, { carch, ...(signal ? { signal } : {}) });
  };
  try {
    return await parseOrReadTrusted(
      () => parsePkgbuild(recipe.text, { carch }),
      options.trusted ? readTrusted : undefined,
    );
  } catch (error) {
    if (isStaticRefusal(error) && options.command === "srcinfo") throw withTrustedHint(error);
    throw error;
  }
}

/** Adds "pass --trusted" to a refusal of `srcinfo` (other commands have no such flag). */
function withTrustedHint(error: ProvisionerError): ProvisionerError {
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
