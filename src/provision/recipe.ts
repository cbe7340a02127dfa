/**
 * What a recipe argument names and how a local recipe is read, for the
 * provisioner and the CLI alike: an argument is a path when it contains `/`,
 * is `.` or `..`, or is a file named `PKGBUILD`; anything else is a catalog
 * worker id. A path is a PKGBUILD file or a directory holding one.
 *
 * The static evaluator reads every recipe first; only when it declines one
 * ({@link isStaticRefusal}: a construct it will not evaluate, or a limit it
 * hit) and the caller opted in does the trusted reader source the PKGBUILD
 * in a sandboxed bash ({@link parseOrReadTrusted}).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { ProvisionerError } from "../errors.ts";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import { lintPkgbuild } from "../pkgbuild/lint/mod.ts";
import { RecipeLintError, RecipeNotFoundError } from "./errors.ts";

/** Whether `arg` names a local recipe (a PKGBUILD file or a recipe directory) rather than a catalog worker id. */
export function isRecipePath(arg: string): boolean {
  return arg.includes("/") || arg === "." || arg === ".." || basename(arg) === "PKGBUILD";
}

/** A local recipe read from disk. */
export interface RecipeFile {
  /** The recipe directory (makepkg's `startdir`). */
  readonly dir: string;
  /** The PKGBUILD file. */
  readonly file: string;
  /** The PKGBUILD's text. */
  readonly text: string;
}

/**
 * Reads the recipe at `path`: a PKGBUILD file, or a directory holding one.
 *
 * @throws {RecipeNotFoundError} when `path` or its PKGBUILD does not exist.
 */
export async function readRecipeFile(path: string): Promise<RecipeFile> {
  const notFound = (error: unknown): never => {
    const missing = error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory;
    throw missing ? new RecipeNotFoundError(path, { cause: error }) : error;
  };
  const info = await Deno.stat(path).catch(notFound);
  const file = info.isDirectory ? join(path, "PKGBUILD") : path;
  const text = await Deno.readTextFile(file).catch(notFound);
  return { dir: dirname(file), file, text };
}

/**
 * The codes of the static evaluator's refusals: a construct it will not
 * evaluate (`PKGBUILD_REFUSED`) or a size or depth limit it hit
 * (`PKGBUILD_TOO_COMPLEX`). bash may still read such a recipe; a syntax
 * error stays one in bash, so nothing else is worth the trusted reader.
 */
const REFUSAL_CODES: ReadonlySet<string> = new Set(["PKGBUILD_REFUSED", "PKGBUILD_TOO_COMPLEX"]);

/** Whether `error` is the static evaluator declining a recipe that bash might still read. */
export function isStaticRefusal(error: unknown): error is ProvisionerError {
  return error instanceof ProvisionerError && REFUSAL_CODES.has(error.code);
}

/**
 * Evaluates a recipe with `parse` (the static evaluator); when it declines
 * the recipe ({@link isStaticRefusal}) and `readTrusted` is given (the
 * caller opted in), reads it with `readTrusted` instead.
 */
export async function parseOrReadTrusted(
  parse: () => Pkgbuild,
  readTrusted?: () => Promise<Pkgbuild>,
): Promise<Pkgbuild> {
  try {
    return parse();
  } catch (error) {
    if (readTrusted === undefined || !isStaticRefusal(error)) throw error;
    return await readTrusted();
  }
}

const MAX_RECIPE_FILES = 10_000;

/**
 * Relative `/`-separated paths of the files under the recipe directory `dir`
 * (a few levels deep, bounded; `src/` and `pkg/` skipped), for lint's
 * `install=`/`changelog=` checks.
 */
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

/**
 * Refuses `pkgbuild` when makepkg's lint finds an error in it, as makepkg
 * does before any build (exit 12 there). `files` lists the recipe directory
 * (unknown for an HTTP catalog: the install/changelog file checks are then
 * skipped); `ignoreArch` as makepkg's `-A`/`--printsrcinfo` (the provisioner
 * checks the architecture itself, with its own exit code).
 *
 * @throws {RecipeLintError} naming the first error and how many more there are.
 */
export function checkLint(
  pkgbuild: Pkgbuild,
  where: string,
  options: { files?: readonly string[]; ignoreArch: boolean },
): void {
  const errors = lintPkgbuild(pkgbuild, {
    ...(options.files ? { files: new Set(options.files) } : {}),
    ignoreArch: options.ignoreArch,
  }).filter((f) => f.severity === "error");
  if (errors.length) throw new RecipeLintError(where, errors.map((e) => e.message));
}
