/**
 * `srcinfo <PKGBUILD | dir>`: prints the `.SRCINFO` exactly as
 * `makepkg --printsrcinfo` would; exits 10 with one line on a refusal, a
 * syntax error or a lint error (makepkg exits 12 there).
 *
 * @module
 */

import { toSrcinfo } from "../../pkgbuild/mod.ts";
import { flag, stringOption } from "../args.ts";
import { normalizeArch } from "../config.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { checkLint } from "../../provision/recipe.ts";
import { evaluateRecipe, trustedNeeds } from "./_recipe.ts";
import { readRecipeArgument, recipeArgumentNeeds } from "./_recipe_arg.ts";

/** Reading the recipe; bash and bwrap with `--trusted`. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const needs = recipeArgumentNeeds(ctx);
  return flag(ctx.args, "trusted") ? [...needs, ...trustedNeeds()] : needs;
}

/** Prints the `.SRCINFO`. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const recipe = await readRecipeArgument(ctx);
  const carch = normalizeArch(
    stringOption(ctx.args, "carch") ?? stringOption(ctx.args, "arch") ?? Deno.build.arch,
  );
  const pkgbuild = await evaluateRecipe(recipe, {
    carch,
    trusted: flag(ctx.args, "trusted"),
    command: "srcinfo",
    signal: ctx.signal,
  });
  checkLint(pkgbuild, recipe.file, {
    ...(recipe.files ? { files: recipe.files } : {}),
    ignoreArch: true,
  });
  const srcinfo = toSrcinfo(pkgbuild);
  return { value: { file: recipe.file, carch, srcinfo }, text: srcinfo };
}
