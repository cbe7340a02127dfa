/**
 * `build`: the pipeline of an install up to the tidied package trees
 * (fetch → extract → run → tidy), then a binary package per tree written
 * by `src/package/` instead of an install. SOURCE_DATE_EPOCH is the
 * caller's, else the newest commit time of the recipe's git sources, else
 * the current time (as makepkg), and the recipe sees the same value.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { valueAsArray, valueAsString } from "../pkgbuild/model.ts";
import type { Pkgbuild } from "../pkgbuild/model.ts";
import type { FetchedSource } from "../source/mod.ts";
import { writePackage, type WritePackageOptions, type WrittenPackage } from "../package/write.ts";
import type { ManifestSource } from "../package/manifest.ts";
import { cacheKey } from "../package/cache_key.ts";
import { DEBIAN_MAKEPKG_CONF } from "../tidy/options.ts";
import { VERSION } from "../version.ts";
import { type BuildContext, listOf, prepareBuild, runAndTidy } from "./_build.ts";
import { fullVersion, type PlannedProvision } from "./_plan.ts";

/** Options of a package build. */
export interface PackageBuildOptions {
  /** Where the packages are written. */
  readonly outputDir: string;
  /** SOURCE_DATE_EPOCH. @default the newest git source commit time, else now */
  readonly sourceDateEpoch?: number;
  /** zstd level. @default 3 */
  readonly compressionLevel?: number;
}

/** `git -C dir args...` → trimmed stdout, or "" when it fails. */
async function git(dir: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command("git", {
      args: ["-C", dir, ...args],
      stdout: "piped",
      stderr: "null",
      clearEnv: true,
      env: { LC_ALL: "C", GIT_CONFIG_NOSYSTEM: "1", HOME: "/nonexistent" },
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : "";
  } catch {
    return "";
  }
}

/** The commit each git source was checked out at in srcdir, by source name. */
async function gitCommits(fetched: readonly FetchedSource[], srcdir: string) {
  const commits = new Map<string, { commit: string; time: number }>();
  for (const f of fetched) {
    if (f.kind !== "git") continue;
    const dir = join(srcdir, f.name);
    const commit = await git(dir, ["rev-parse", "HEAD"]);
    const time = Number(await git(dir, ["log", "-1", "--format=%ct", "HEAD"]));
    if (commit) commits.set(f.name, { commit, time: Number.isFinite(time) ? time : 0 });
  }
  return commits;
}

/** The packages a run produced, plus the `-debug` package when the strip step made one. */
async function packageTrees(
  pkgbuild: Pkgbuild,
  ran: { packages: readonly { name: string; dir: string }[] },
  buildDir: string,
) {
  const trees = [...ran.packages];
  const debug = join(buildDir, "pkg", `${pkgbuild.pkgbase}-debug`);
  const hasDebug = await Deno.stat(join(debug, "usr/lib/debug")).then(
    async () => {
      for await (const _ of Deno.readDir(join(debug, "usr/lib/debug"))) return true;
      return false;
    },
    () => false,
  );
  if (hasDebug) trees.push({ name: `${pkgbuild.pkgbase}-debug`, dir: debug });
  return trees;
}

/** `.PKGINFO`/`.BUILDINFO` fields of package `pkgname` (its overrides applied). */
function packageInfoOf(
  pkgbuild: Pkgbuild,
  pkgname: string,
  facts: { arch: string; version: string; recipeSha256: string; options: readonly string[] },
): WritePackageOptions["info"] {
  const list = (key: string) => listOf(pkgbuild, pkgname, key);
  const pkg = pkgbuild.packages.find((p) => p.name === pkgname);
  return {
    pkgname,
    pkgbase: pkgbuild.pkgbase,
    version: facts.version,
    pkgdesc: valueAsString(pkg?.overrides.pkgdesc ?? pkgbuild.variables.pkgdesc),
    url: valueAsString(pkg?.overrides.url ?? pkgbuild.variables.url),
    arch: facts.arch,
    lists: {
      license: list("license"),
      replaces: list("replaces"),
      group: list("groups"),
      conflict: list("conflicts"),
      provides: list("provides"),
      backup: list("backup"),
      depend: list("depends"),
      optdepend: list("optdepends"),
      makedepend: list("makedepends"),
      checkdepend: list("checkdepends"),
    },
    pkgbuildSha256: facts.recipeSha256,
    options: facts.options,
    toolVersion: VERSION,
  };
}

/** fetch → extract → run → tidy → one package per tree in `outputDir`. */
export async function buildPackages(
  planned: PlannedProvision,
  ctx: BuildContext,
  build: PackageBuildOptions,
): Promise<WrittenPackage[]> {
  const { buildDir, job, options } = ctx;
  const { plan, recipe, pkgbuild } = planned;
  const prepared = await prepareBuild(planned, ctx);
  const commits = await gitCommits(prepared.fetched, prepared.srcdir);
  const newest = Math.max(0, ...[...commits.values()].map((c) => c.time));
  const epoch = build.sourceDateEpoch ?? (newest > 0 ? newest : Math.floor(Date.now() / 1000));
  const ran = await runAndTidy(planned, ctx, prepared, epoch);
  const sources: ManifestSource[] = plan.sources.map((s) => {
    const c = commits.get(s.name);
    return { name: s.name, url: s.url, checksums: s.checksums, ...(c ? { commit: c.commit } : {}) };
  });
  const recipeSha256 = createHash("sha256").update(recipe.text).digest("hex");
  const workerType = plan.entry?.worker_type ? { worker_type: plan.entry.worker_type } : {};
  const facts = {
    arch: valueAsArray(pkgbuild.variables.arch).includes("any") ? "any" : plan.arch,
    version: fullVersion(pkgbuild, ran.pkgver),
    recipeSha256,
    options: (options.makepkgConf ?? DEBIAN_MAKEPKG_CONF).options,
  };
  const cache_key = cacheKey({
    id: plan.id,
    version: plan.version,
    arch: plan.arch,
    ...workerType,
    recipe_sha256: recipeSha256,
    sources,
  });
  await job.begin("stage");
  const written: WrittenPackage[] = [];
  for (const tree of await packageTrees(pkgbuild, ran, buildDir)) {
    written.push(
      await writeTreePackage(tree, build, {
        pkgbuild,
        manifest: {
          id: plan.id,
          pkgname: tree.name,
          version: facts.version,
          arch: facts.arch,
          platform: plan.platform,
          ...workerType,
          recipe_sha256: recipeSha256,
          sources,
          cache_key,
          source_date_epoch: epoch,
        },
        facts,
      }),
    );
  }
  job.end("stage");
  return written;
}

/** Writes the package of one tree. */
function writeTreePackage(
  tree: { name: string; dir: string },
  build: PackageBuildOptions,
  what: {
    pkgbuild: Pkgbuild;
    manifest: WritePackageOptions["manifest"];
    facts: Parameters<typeof packageInfoOf>[2];
  },
): Promise<WrittenPackage> {
  return writePackage({
    tree: tree.dir,
    outputDir: build.outputDir,
    ...(build.compressionLevel !== undefined ? { compressionLevel: build.compressionLevel } : {}),
    manifest: what.manifest,
    info: packageInfoOf(what.pkgbuild, tree.name, what.facts),
  });
}
