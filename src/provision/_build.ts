/**
 * The tail of the pipeline, after the worker's lock is taken: fetch (and
 * verify) → extract → run → stage → install → record, each step taking the
 * previous step's value.
 *
 * @module
 */

import { join } from "node:path";
import { buildCacheDirs } from "../run/build_cache.ts";
import {
  type InstallMetadata,
  installTrees,
  type PackageTree,
  type StagedEntry,
} from "./install.ts";
import { installStepHook, storeEntry } from "./_cached_install.ts";
import { checkedOutCommits, freshnessOf } from "./outdated.ts";
import type { Layout } from "./paths.ts";
import type { WorkerRecord } from "./record.ts";
import type { WorkerProvisionerOptions } from "./provisioner.ts";
import { mapFsError, type ProvisionJob } from "./_job.ts";
import { fullVersion, type PlannedProvision, recipeFileName } from "./_plan.ts";
import { loadStages, type Stages } from "./_stages.ts";
import type { FetchedSource } from "../source/fetch.ts";
import { fetchPlanned } from "./_fetch.ts";
import { clearFailedLog, keepFailedLog } from "./_build_log.ts";
import { DEBIAN_MAKEPKG_CONF, recipeOptionsOf, tidyPackage } from "../tidy/mod.ts";
import type { RunResult } from "../run/mod.ts";
import { type Pkgbuild, valueAsArray } from "../pkgbuild/model.ts";

/** makepkg's `tidy_install` over every package tree a run produced (`package()` done). */
export async function tidyPackages(
  ran: RunResult,
  ctx: {
    buildDir: string;
    pkgbuild: Pkgbuild;
    options: WorkerProvisionerOptions;
    signal?: AbortSignal;
  },
): Promise<void> {
  for (const pkg of ran.packages) {
    await tidyPackage({
      pkgdir: pkg.dir,
      pkgdirBase: join(ctx.buildDir, "pkg"),
      pkgbase: ctx.pkgbuild.pkgbase,
      srcdir: join(ctx.buildDir, "src"),
      config: ctx.options.makepkgConf ?? DEBIAN_MAKEPKG_CONF,
      recipeOptions: recipeOptionsOf(ctx.pkgbuild, pkg.name),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }
}

/** A package-level value: the package function's override, else the global one (plus `_<arch>`). */
export function listOf(pkgbuild: Pkgbuild, pkgname: string, key: string): string[] {
  const pkg = pkgbuild.packages.find((p) => p.name === pkgname);
  const base = pkg?.overrides[key] ?? pkgbuild.variables[key];
  const arch = pkg?.overrides[`${key}_${pkgbuild.carch}`] ??
    pkgbuild.variables[`${key}_${pkgbuild.carch}`];
  return [...valueAsArray(base), ...valueAsArray(arch)];
}

/** The `backup` files of `trees` (leading `/` dropped), as tree paths `<pkgname>/<path>`. */
function backupFilesOf(pkgbuild: Pkgbuild, trees: readonly PackageTree[]): Set<string> {
  return new Set(
    trees.flatMap((t) =>
      listOf(pkgbuild, t.name, "backup").map((p) => `${t.name}/${p.replace(/^\/+/, "")}`)
    ),
  );
}

/** What {@link buildAndInstall} works with. */
export interface BuildContext {
  /** The build directory of this job (removed by the caller). */
  readonly buildDir: string;
  /** The job's event stream. */
  readonly job: ProvisionJob;
  /** Where to install. */
  readonly layout: Layout;
  /** The provisioner's options. */
  readonly options: WorkerProvisionerOptions;
  /** Cancels the job. */
  readonly signal?: AbortSignal;
  /** Keep the built trees in the local package cache under this key. @default not kept */
  readonly packageKey?: string;
}

/** A build directory laid out: the recipe copied in, its sources fetched, verified and extracted. */
export interface PreparedBuild {
  /** The pipeline's stages. */
  readonly stages: Stages;
  /** makepkg's `startdir` (the recipe's copy). */
  readonly startdir: string;
  /** The PKGBUILD in `startdir`. */
  readonly pkgbuildPath: string;
  /** The extracted sources. */
  readonly srcdir: string;
  /** What was fetched. */
  readonly fetched: readonly FetchedSource[];
}

/** fetch → extract: the part of a build before the recipe's functions run (install and `build`). */
export async function prepareBuild(
  planned: PlannedProvision,
  ctx: BuildContext,
): Promise<PreparedBuild> {
  const { buildDir, job, signal, layout, options } = ctx;
  const stages = await loadStages();
  const { recipe } = planned;
  const startdir = join(buildDir, "recipe");
  await Deno.mkdir(startdir);
  const pkgbuildPath = join(startdir, recipeFileName(recipe));
  await Deno.writeTextFile(pkgbuildPath, recipe.text);
  const fetched = await fetchPlanned(planned, {
    job,
    layout,
    options,
    recipeDir: recipe.recipeDir ?? startdir,
    ...(signal ? { signal } : {}),
  });
  const srcdir = join(buildDir, "src");
  await Deno.mkdir(srcdir);
  await job.step(
    "extract",
    () =>
      stages.prepareSrcdir(fetched, srcdir, {
        signal,
        onEvent: job.forward,
        ...(options.extractLimits ? { extractLimits: options.extractLimits } : {}),
      }),
  );
  return { stages, startdir, pkgbuildPath, srcdir, fetched };
}

/**
 * run → tidy: the recipe's functions with every option of the provisioner
 * (sandbox, toolchains, variables, build cache), a failed build's log kept,
 * then makepkg's tidy steps. `sourceDateEpoch` pins SOURCE_DATE_EPOCH (a
 * reproducible package).
 */
export async function runAndTidy(
  planned: PlannedProvision,
  ctx: BuildContext,
  prepared: PreparedBuild,
  sourceDateEpoch?: number,
): Promise<RunResult> {
  const { buildDir, job, signal, layout, options } = ctx;
  const { plan, pkgbuild } = planned;
  return await job.step("run", async () => {
    const ran = await prepared.stages.runRecipe({
      pkgbuildPath: prepared.pkgbuildPath,
      pkgbuild,
      startdir: prepared.startdir,
      srcdir: prepared.srcdir,
      pkgdirBase: join(buildDir, "pkg"),
      carch: plan.arch,
      check: options.check ?? true,
      sandbox: options.sandbox ?? "auto",
      env: {
        ...options.env,
        ...(sourceDateEpoch !== undefined ? { SOURCE_DATE_EPOCH: String(sourceDateEpoch) } : {}),
      },
      ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
      toolchains: options.toolchains ?? [],
      explicitEnv: options.buildEnv ?? {},
      ...(options.buildCache === false
        ? {}
        : { buildCache: buildCacheDirs(layout.cacheDir, plan.id) }),
      signal,
      onEvent: job.forward,
      logFile: join(buildDir, "build.log"),
      tempDir: buildDir,
    }).catch((error: unknown) => keepFailedLog(error, layout, plan.id));
    await tidyPackages(ran, { buildDir, pkgbuild, options, ...(signal ? { signal } : {}) });
    return ran;
  });
}

/** fetch → extract → run → stage → install → record; resolves to the record written. */
export async function buildAndInstall(
  planned: PlannedProvision,
  ctx: BuildContext,
): Promise<WorkerRecord> {
  const { job, signal, layout, options } = ctx;
  const { plan, pkgbuild } = planned;
  const prepared = await prepareBuild(planned, ctx);
  const { fetched } = prepared;
  const commits = await checkedOutCommits(fetched, prepared.srcdir, signal);
  const ran = await runAndTidy(planned, ctx, prepared);
  const trees = ran.packages.filter((p) => plan.install.includes(p.name));
  const metadata: InstallMetadata = {
    id: plan.id,
    version: fullVersion(pkgbuild, ran.pkgver),
    arch: plan.arch,
    platform: plan.platform,
    origin: plan.origin,
    ...(plan.entry?.worker_type ? { workerType: plan.entry.worker_type } : {}),
    ...(plan.entry ? { entry: plan.entry } : {}),
    freshness: freshnessOf(planned, commits, ran.pkgver),
    signatures: fetched.flatMap((f) => f.signature ? [f.signature] : []), // signatures
  };
  await job.begin("stage");
  let staged: readonly StagedEntry[] = [];
  const record = await installTrees({
    layout: layout,
    trees,
    consumeTrees: !options.keepBuildDir,
    force: options.force ?? false,
    signal,
    metadata,
    checkStaged: (entries) => void (staged = entries), // what the cache entry links
    hook: installStepHook(job),
  }).catch(mapFsError(layout.userPrefix ?? layout.root));
  if (ctx.packageKey) { // local package cache: the installed files linked, after the commit
    const backup = backupFilesOf(pkgbuild, trees);
    const cacheCtx = { job, layout, force: options.force ?? false };
    await storeEntry({ key: ctx.packageKey, trees, staged, record, metadata, backup }, cacheCtx);
  }
  job.end("record");
  await clearFailedLog(layout, plan.id);
  return record;
}
