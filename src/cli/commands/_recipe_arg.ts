/**
 * The recipe argument of `srcinfo` and `lint`: a PKGBUILD file or recipe
 * directory, or a catalog worker id whose recipe `--catalog`
 * (`WORKER_CATALOG_URL`, the default catalog) serves.
 *
 * @module
 */

import { isRecipePath, listRecipeFiles } from "../../provision/recipe.ts";
import { openCatalog } from "../../provision/catalog/client.ts";
import { stringOption } from "../args.ts";
import { type CatalogLocation, catalogLocation } from "../config.ts";
import type { CommandContext } from "../context.ts";
import { UsageError } from "../errors.ts";
import { envIfGranted, type PermissionNeed } from "../permissions.ts";
import { DEFAULT_CATALOG_URL } from "../spec.ts";
import { catalogNeeds, catalogString } from "./_catalog.ts";
import { type LocalRecipe, readLocalRecipe, recipeArgNeeds } from "./_recipe.ts";

const CATALOG_ENV = "WORKER_CATALOG_URL";

/** The catalog a worker id is looked up in: `--catalog`, else the variable, else the default. */
function catalogOf(ctx: CommandContext): CatalogLocation {
  const flag = stringOption(ctx.args, "catalog");
  const env = flag === undefined ? envIfGranted(CATALOG_ENV) : undefined;
  return catalogLocation(flag ?? env ?? DEFAULT_CATALOG_URL, ctx.cwd);
}

/** What reading the argument needs: the recipe's directory, or the catalog (and its variable). */
export function recipeArgumentNeeds(ctx: CommandContext): PermissionNeed[] {
  const arg = ctx.args.positionals[0];
  if (isRecipePath(arg)) return recipeArgNeeds(arg, ctx.cwd);
  const env: PermissionNeed[] = stringOption(ctx.args, "catalog") === undefined
    ? [{ name: "env", variable: CATALOG_ENV }]
    : [];
  return [...env, ...catalogNeeds(catalogOf(ctx))];
}

/**
 * Reads the recipe the argument names. From an HTTP catalog the recipe
 * directory is unknown (`files` undefined: lint's install/changelog file
 * checks are skipped); from a catalog directory it is the worker's folder.
 */
export async function readRecipeArgument(ctx: CommandContext): Promise<LocalRecipe> {
  const arg = ctx.args.positionals[0];
  if (isRecipePath(arg)) return await readLocalRecipe(arg, ctx.cwd);
  if (stringOption(ctx.args, "trusted") !== undefined || ctx.args.values.trusted === true) {
    throw new UsageError(`--trusted reads a local recipe, and ${arg} is a catalog worker id`, {
      hint: `fetch the recipe into a directory first, or drop --trusted`,
    });
  }
  const location = catalogOf(ctx);
  const catalog = openCatalog(catalogString(location));
  await catalog.get(arg, { signal: ctx.signal }); // an unknown id: "did you mean"
  const text = await catalog.recipe(arg, { signal: ctx.signal });
  const dir = catalog.recipeDir?.(arg);
  return {
    dir: dir ?? "",
    file: `${catalog.location}/workers/${arg}/PKGBUILD`,
    text,
    ...(dir !== undefined ? { files: await listRecipeFiles(dir) } : {}),
  };
}
