/**
 * The first two steps of the pipeline: **resolve** (an id, a PKGBUILD path
 * or a recipe directory → the recipe text and, from a catalog, its entry)
 * and **plan** (parse, check compatibility, plan the sources).
 *
 * An argument containing `/` (or equal to `.` / `..`) is a path: a PKGBUILD
 * file or a directory holding one; anything else is a catalog worker id.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import { valueAsArray, valueAsString } from "../pkgbuild/model.ts";
import type { SourcePlan } from "../source/plan.ts";
import type { Catalog } from "./catalog/client.ts";
import type { CatalogEntry } from "./catalog/entry.ts";
import { checkCompatibility, type HostTarget } from "./compat.ts";
import { RecipeNotFoundError } from "./errors.ts";
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

/** Whether `arg` names a path rather than a catalog worker id. */
export function isRecipePath(arg: string): boolean {
  return arg.includes("/") || arg === "." || arg === "..";
}

/** The resolve step. */
export async function resolveRecipe(
  arg: string,
  catalog: () => Catalog,
  signal?: AbortSignal,
): Promise<ResolvedRecipe> {
  if (isRecipePath(arg)) {
    let path = resolve(arg);
    const info = await Deno.stat(path).catch(() => null);
    if (info?.isDirectory) path = join(path, "PKGBUILD");
    const text = await Deno.readTextFile(path).catch(() => null);
    if (text === null) throw new RecipeNotFoundError(arg);
    return { text, pkgbuildPath: path, recipeDir: dirname(path), origin: path };
  }
  const c = catalog();
  const entry = await c.get(arg, { signal });
  const text = await c.recipe(arg, { signal });
  const dir = c.recipeDir?.(arg);
  return {
    text,
    entry,
    origin: c.location,
    ...(dir !== undefined ? { recipeDir: dir } : {}),
  };
}

/** One source of a {@link ProvisionPlan}. */
export interface PlannedDownload {
  /** The file name in srcdir. */
  readonly name: string;
  /** The URL (or local file name). */
  readonly url: string;
  /** `https`, `git`, `local`, ... */
  readonly protocol: string;
  /** The host contacted (`host:port`), for network sources. */
  readonly host?: string;
  /** Pinned checksums by algorithm. */
  readonly checksums: Readonly<Record<string, string>>;
  /** Kept whole in srcdir (`noextract`). */
  readonly noextract: boolean;
}

/** What a provision will do, computed before anything is fetched (`plan` command, `--permissions`). */
export interface ProvisionPlan {
  /** The worker id (catalog id, or the PKGBUILD's pkgbase for a path). */
  readonly id: string;
  /** Full version from the PKGBUILD (pkgver() may change it). */
  readonly version: string;
  /** The architecture (`--arch` or the host's). */
  readonly arch: string;
  /** The platform. */
  readonly platform: string;
  /** Where the recipe comes from. */
  readonly origin: string;
  /** The catalog entry, when there is one. */
  readonly entry?: CatalogEntry;
  /** pkgbase. */
  readonly pkgbase: string;
  /** All packages the recipe builds. */
  readonly packages: readonly string[];
  /** The packages that will be installed (the one named like the id, else all). */
  readonly install: readonly string[];
  /** Sources fetched, in order. */
  readonly sources: readonly PlannedDownload[];
  /** Every network host contacted for sources (`host:port`). */
  readonly hosts: readonly string[];
  /** Recipe functions that will run, in order. */
  readonly functions: readonly string[];
  /**
   * Every program the provision may start, sorted: what `--allow-run=` must
   * list (see {@link programsOf}).
   */
  readonly programs: readonly string[];
  /** The directories a provision writes (and reads): where files go, state, cache, build. */
  readonly paths: PlannedPaths;
}

/** The directories of a {@link ProvisionPlan}. */
export interface PlannedPaths {
  /** Where the package tree is installed: the root, or the user prefix (`~/.local`). */
  readonly install: string;
  /** The state directory (records, locks, journal, staging). */
  readonly state: string;
  /** The source cache. */
  readonly cache: string;
  /** Where the build directory is made (removed after the run). */
  readonly build: string;
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
    makepkgConf?: TidyConfig;
  },
): Promise<PlannedProvision> {
  const pkgbuild = await parse(recipe);
  const id = recipe.entry?.id ?? (isRecipePath(arg) ? pkgbuild.pkgbase : arg);
  checkCompatibility({
    id,
    ...(recipe.entry?.platforms ? { platforms: recipe.entry.platforms } : {}),
    ...(recipe.entry?.architectures ? { architectures: recipe.entry.architectures } : {}),
    pkgbuildArch: valueAsArray(pkgbuild.variables.arch),
  }, target);
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
  };
  return { plan, recipe, pkgbuild, sources };
}

/** A file name for the recipe copy written into the build directory. */
export function recipeFileName(recipe: ResolvedRecipe): string {
  return recipe.pkgbuildPath ? basename(recipe.pkgbuildPath) : "PKGBUILD";
}
