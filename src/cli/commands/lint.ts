/**
 * `lint <PKGBUILD | dir>`: prints makepkg's lint findings, one per line;
 * exits 10 when any is an error.
 *
 * @module
 */

import { ExitCode } from "../../errors.ts";
import { stringOption } from "../args.ts";
import { normalizeArch } from "../config.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { formatFindings, lintRecipe } from "./_lint.ts";
import { evaluateRecipe } from "./_recipe.ts";
import { readRecipeArgument, recipeArgumentNeeds } from "./_recipe_arg.ts";

/** Reading the recipe. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return recipeArgumentNeeds(ctx);
}

/** Prints the findings. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const recipe = await readRecipeArgument(ctx);
  const carch = normalizeArch(
    stringOption(ctx.args, "carch") ?? stringOption(ctx.args, "arch") ?? Deno.build.arch,
  );
  const pkgbuild = await evaluateRecipe(recipe, { carch, trusted: false, command: "lint" });
  const findings = lintRecipe(pkgbuild, recipe.files, "lint");
  const errors = findings.filter((f) => f.severity === "error").length;
  const text = findings.length ? formatFindings(findings) : "";
  if (!findings.length) ctx.renderer.info(`${recipe.file}: no findings`);
  return {
    value: { file: recipe.file, findings, errors },
    text,
    exitCode: errors ? ExitCode.pkgbuildInvalid : ExitCode.ok,
  };
}
