/**
 * The first two steps of the pipeline: **resolve** (an id, a PKGBUILD path
 * or a recipe directory → the recipe text and, from a catalog, its entry)
 * and **plan** (parse, check compatibility, plan the sources).
 *
 * What an argument names (a path or a catalog id) is decided by
 * `isRecipePath` in `recipe.ts`.
 *
 * @module
 */

import { requireWorkerId } from "../boundary/worker_id.ts";
import { basename, resolve } from "node:path";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import { valueAsArray, valueAsString } from "../pkgbuild/model.ts";
import type { SourcePlan } from "../source/plan.ts";
import type { Catalog } from "./catalog/client.ts";
import type { CatalogEntry } from "./catalog/entry.ts";
import { checkCompatibility, type HostTarget } from "./compat.ts";
import type { PlannedDownload, PlannedEnvironment, PlannedPaths, ProvisionPlan } from "./plan.ts";
import { checkLint, isRecipePath, listRecipeFiles, readRecipeFile } from "./recipe.ts";

export type { PlannedDownload, PlannedPaths, ProvisionPlan } from "./plan.ts";
import type { Stages } from "./_stages.ts";
import { DEBIAN_MAKEPKG_CONF, type TidyConfig } from "../tidy/options.ts";
import { tidyProgramsOf } from "../tidy/mod.ts";

/** A recipe found by the resolve step. */
export interface ResolvedRecipe {
  /** The PKGBUILD text. */
  readonly text: string;
  /** The PKGBUILD's path when it is a local file (a path argument or a directory catalog). */
  readonly pkgbuildPath?: string;
  /** The directory holding local sources, when there is one. */
  readonly recipeDir?: string;
  /** The catalog entry, when it came from a catalog. */
  readonly entry?: CatalogEntry;
  /** Where it came from (catalog location, or the PKGBUILD path). */
  readonly origin: string;
}

/** The resolve step. */
export async function resolveRecipe(
  arg: string,
  catalog: () => Catalog,
  signal?: AbortSignal,
): Promise<ResolvedRecipe> {
  if (isRecipePath(arg)) {
    const { dir, file, text } = await readRecipeFile(resolve(arg));
    return { text, pkgbuildPath: file, recipeDir: dir, origin: file };
  }
  requireWorkerId(arg, "command line");
  const c = catalog();
  const entry = await c.get(arg, { signal });
  const text = await c.recipe(arg, {
    ...(signal ? { signal } : {}),
    ...(entry.pkgbuild_url ? { pkgbuildUrl: entry.pkgbuild_url } : {}),
  });
  const dir = c.recipeDir?.(arg);
  return {
    text,
    entry,
    origin: c.location,
    ...(dir !== undefined ? { recipeDir: dir } : {}),
  };
}

/** The catalog entry's `version` and the recipe's `pkgver` disagree (said, not refused: the recipe decides). */
export function versionDisagreement(
  entry: CatalogEntry | undefined,
  pkgver: string,
): string | null {
  if (typeof entry?.version !== "string" || entry.version === "" || entry.version === pkgver) {
    return null;
  }
  return `the catalog says ${entry.id} is version ${entry.version}, its recipe's pkgver is ${pkgver}; the recipe's is used`;
}

/** The plan step's value: the public plan plus what later steps need. */
export interface PlannedProvision {
  /** The public plan. */
  readonly plan: ProvisionPlan;
  /** The resolved recipe. */
  readonly recipe: ResolvedRecipe;
  /** The evaluated PKGBUILD. */
  readonly pkgbuild: Pkgbuild;
  /** The source plan. */
  readonly sources: SourcePlan;
}

/** makepkg's full version: `epoch:pkgver-pkgrel`, without `epoch:` when it is 0 or unset. */
export function fullVersion(pkgbuild: Pkgbuild, pkgver?: string): string {
  const epoch = valueAsString(pkgbuild.variables.epoch);
  const ver = pkgver ?? valueAsString(pkgbuild.variables.pkgver);
  const rel = valueAsString(pkgbuild.variables.pkgrel);
  return `${epoch && epoch !== "0" ? `${epoch}:` : ""}${ver}-${rel}`;
}

function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url.replace(/^[a-z]+\+/, ""));
    if (u.protocol === "file:") return undefined;
    return u.port
      ? `${u.hostname}:${u.port}`
      : u.hostname + (u.protocol === "https:" ? ":443" : u.protocol === "http:" ? ":80" : "");
  } catch {
    return undefined;
  }
}

/** The functions that will run, in makepkg's order. */
function functionsToRun(pkgbuild: Pkgbuild, check: boolean): string[] {
  const f = pkgbuild.functions;
  const out = ["prepare", "pkgver", "build"].filter((n) => n in f);
  if (check && "check" in f) out.push("check");
  if (pkgbuild.packages.length === 1 && "package" in f) out.push("package");
  else {for (const p of pkgbuild.packages) {
      out.push(`package_${p.name}` in f ? `package_${p.name}` : "package");
    }}
  return out;
}

/**
 * The program that unpacks a source named `name`, guessed from the name (the
 * source stage detects the format from the content, known only once
 * fetched): none for tar, gzip and zstd (read in-process) and for files
 * without an archive name (the source stage starts bsdtar only when the
 * content carries the signature of a format bsdtar reads), `xz` or `bzip2`
 * for those compressors, and `bsdtar` for zip, cpio and the other archive
 * formats only bsdtar reads.
 */
export function extractProgramFor(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (/\.(xz|txz|lzma)$/.test(lower)) return "xz";
  if (/\.(bz2|bz|tbz2?)$/.test(lower)) return "bzip2";
  if (BSDTAR_EXTENSIONS.test(lower)) return "bsdtar";
  return undefined;
}

/** Names of archives only bsdtar reads here: zip and its kin, cpio, 7z, rar, rpm, iso, ... (ar/.deb is read in-process) */
const BSDTAR_EXTENSIONS =
  /\.(zip|jar|whl|apk|cpio|7z|rar|rpm|iso|xar|pkg|cab|lha|lzh|lz4|lz|tlz|lzo|z|taz|tz|uu|warc|mtree|exe)$/;

/**
 * Every program a provision may start, sorted: `setsid` and `bash` (each
 * recipe function runs as `setsid bash`), `ps` and `kill` (the runner's
 * process-tree scan after every function and its signals: Deno gives
 * `/proc` only to `--allow-all` and `Deno.kill` only to an unscoped
 * `--allow-run`), `bwrap` unless the sandbox is off (probed even in `auto`
 * mode), `git` for git sources, and the unpackers of extracted sources
 * ({@link extractProgramFor}). Programs a recipe's bash starts are not
 * Deno's to check.
 */
export function programsOf(
  downloads: readonly PlannedDownload[],
  sandbox: "auto" | "require" | "off",
): string[] {
  const programs = new Set(["bash", "kill", "ps", "setsid"]);
  if (sandbox !== "off") programs.add("bwrap");
  for (const d of downloads) {
    if (d.protocol === "git") programs.add("git");
    else if (!d.noextract) {
      const tool = extractProgramFor(d.name);
      if (tool) programs.add(tool);
    }
  }
  return [...programs].sort();
}

/** The plan step. */
export async function planRecipe(
  recipe: ResolvedRecipe,
  arg: string,
  stages: Stages,
  parse: (recipe: ResolvedRecipe) => Promise<Pkgbuild>,
  target: HostTarget,
  options: {
    strict: boolean;
    check: boolean;
    sandbox: "auto" | "require" | "off";
    paths: PlannedPaths;
    environment?: (id: string) => PlannedEnvironment;
    makepkgConf?: TidyConfig;
  },
): Promise<PlannedProvision> {
  const pkgbuild = await parse(recipe);
  const id = requireWorkerId(
    recipe.entry?.id ?? (isRecipePath(arg) ? pkgbuild.pkgbase : arg),
    recipe.entry ? "catalog" : isRecipePath(arg) ? "recipe" : "command line",
  );
  requireWorkerId(pkgbuild.pkgbase, "recipe", "pkgbase");
  for (const p of pkgbuild.packages) requireWorkerId(p.name, "recipe", "pkgname");
  checkCompatibility({
    id,
    ...(recipe.entry?.platforms ? { platforms: recipe.entry.platforms } : {}),
    ...(recipe.entry?.architectures ? { architectures: recipe.entry.architectures } : {}),
    pkgbuildArch: valueAsArray(pkgbuild.variables.arch),
  }, target);
  // makepkg lints every recipe before it builds; so does the plan (the
  // architecture is checked above, with its own exit code).
  const files = recipe.recipeDir ? await listRecipeFiles(recipe.recipeDir) : undefined;
  checkLint(pkgbuild, recipe.pkgbuildPath ?? id, { ...(files ? { files } : {}), ignoreArch: true });
  const sources = stages.planSources(pkgbuild, { carch: target.arch, strict: options.strict });
  const downloads: PlannedDownload[] = sources.sources.map((s) => {
    const host = s.entry.protocol === "local" ? undefined : hostOf(s.entry.url);
    return {
      name: s.entry.name,
      url: s.entry.url,
      protocol: s.entry.protocol,
      ...(host !== undefined ? { host } : {}),
      checksums: { ...s.checksums } as Record<string, string>,
      noextract: s.noextract,
    };
  });
  const packages = pkgbuild.packages.map((p) => p.name);
  const tidy = tidyProgramsOf(pkgbuild, options.makepkgConf ?? DEBIAN_MAKEPKG_CONF);
  const programs = [...new Set([...programsOf(downloads, options.sandbox), ...tidy])].sort();
  const plan: ProvisionPlan = {
    id,
    version: fullVersion(pkgbuild),
    arch: target.arch,
    platform: target.platform,
    origin: recipe.origin,
    ...(recipe.entry ? { entry: recipe.entry } : {}),
    pkgbase: pkgbuild.pkgbase,
    packages,
    install: packages.includes(id) ? [id] : packages,
    sources: downloads,
    hosts: [...new Set(downloads.flatMap((d) => (d.host ? [d.host] : [])))],
    functions: functionsToRun(pkgbuild, options.check),
    programs,
    paths: options.paths,
    ...(options.environment ? { environment: options.environment(id) } : {}),
    ...(pkgbuild.environmentReads?.length
      ? { environmentReads: [...pkgbuild.environmentReads] }
      : {}),
  };
  const disagreement = versionDisagreement(recipe.entry, valueAsString(pkgbuild.variables.pkgver));
  if (disagreement) {
    return { plan: { ...plan, warnings: [disagreement] }, recipe, pkgbuild, sources };
  }
  return { plan, recipe, pkgbuild, sources };
}

/** A file name for the recipe copy written into the build directory. */
export function recipeFileName(recipe: ResolvedRecipe): string {
  return recipe.pkgbuildPath ? basename(recipe.pkgbuildPath) : "PKGBUILD";
}
