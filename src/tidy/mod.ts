/**
 * makepkg's tidy steps, run over a package tree after `package()` as
 * libmakepkg's `tidy_install` does: first the steps that remove files
 * (`docs`, `emptydirs`, `libtool`, `purge`, `staticlibs`), then those that
 * modify them (`strip` with the `debug` split, `zipman`), each deciding from
 * makepkg.conf's `OPTIONS` and the recipe's `options=()`.
 *
 * @example Tidy a package tree with Debian's makepkg.conf defaults
 * ```ts ignore
 * import { DEBIAN_MAKEPKG_CONF, tidyPackage } from "./mod.ts";
 *
 * await tidyPackage({
 *   pkgdir: "/tmp/build/pkg/hello",
 *   pkgdirBase: "/tmp/build/pkg",
 *   pkgbase: "hello",
 *   srcdir: "/tmp/build/src",
 *   config: DEBIAN_MAKEPKG_CONF,
 *   recipeOptions: ["!strip"],
 * });
 * ```
 *
 * @module
 */

import type { TidyContext } from "./context.ts";
import { tidyDocs } from "./docs.ts";
import { tidyEmptyDirs } from "./emptydirs.ts";
import { tidyLibtool } from "./libtool.ts";
import { tidyPurge } from "./purge.ts";
import { tidyStaticLibs } from "./staticlibs.ts";
import { tidyStrip } from "./strip.ts";
import { tidyZipman } from "./zipman.ts";

import { checkOption, type TidyConfig } from "./options.ts";

export { checkOption, DEBIAN_MAKEPKG_CONF, type TidyConfig } from "./options.ts";
export type { TidyContext } from "./context.ts";
export { TidyToolError } from "./errors.ts";

/** One tidy step: libmakepkg's `tidy_<name>`. */
export interface TidyStep {
  /** The option it answers to. */
  readonly name: string;
  /** Runs it over the context's tree (it checks its own option). */
  readonly run: (ctx: TidyContext) => Promise<void>;
}

/** The steps in libmakepkg's order: `tidy_remove` then `tidy_modify`. */
export const TIDY_STEPS: readonly TidyStep[] = [
  { name: "docs", run: tidyDocs },
  { name: "emptydirs", run: tidyEmptyDirs },
  { name: "libtool", run: tidyLibtool },
  { name: "purge", run: tidyPurge },
  { name: "staticlibs", run: tidyStaticLibs },
  { name: "strip", run: tidyStrip },
  { name: "zipman", run: tidyZipman },
];

/** Runs every tidy step over `ctx.pkgdir`, in makepkg's order. */
export async function tidyPackage(ctx: TidyContext): Promise<void> {
  for (const step of TIDY_STEPS) await step.run(ctx);
}

/** The recipe's `options=()` for package `name`: its package function's override, else the global array. */
export function recipeOptionsOf(
  pkgbuild: {
    readonly variables: Readonly<Record<string, string | readonly string[]>>;
    readonly packages: readonly {
      readonly name: string;
      readonly overrides: Readonly<Record<string, string | readonly string[]>>;
    }[];
  },
  name: string,
): readonly string[] {
  const override = pkgbuild.packages.find((p) => p.name === name)?.overrides.options;
  const value = override ?? pkgbuild.variables.options;
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

/**
 * The programs the tidy steps of `pkgbuild`'s packages may start under
 * `config`: `strip` (and `objcopy`, `readelf`, `debugedit` with `debug`),
 * `gzip` for `zipman`. Sorted.
 */
export function tidyProgramsOf(
  pkgbuild: Parameters<typeof recipeOptionsOf>[0],
  config: TidyConfig,
): string[] {
  const programs = new Set<string>();
  for (const pkg of pkgbuild.packages) {
    const opts = recipeOptionsOf(pkgbuild, pkg.name);
    if (checkOption("strip", "y", config.options, opts)) {
      programs.add("strip");
      if (checkOption("debug", "y", config.options, opts)) {
        for (const p of ["debugedit", "objcopy", "readelf"]) programs.add(p);
      }
    }
    if (checkOption("zipman", "y", config.options, opts)) programs.add("gzip");
  }
  return [...programs].sort();
}
