/**
 * Freshness of installed workers: what a build records (the commit of every
 * VCS source, pkgver()'s result, the pinned checksums) and how `outdated`
 * decides a worker moved on: the recipe's declared version (epoch, pkgver,
 * pkgrel) or the catalog entry's `version` changed, or a VCS source's ref
 * now points at another commit (`git ls-remote`, no clone). A commit-pinned
 * source never moves.
 *
 * @module
 */

import { join } from "node:path";
import { runGit } from "../source/protocols/_git.ts";
import { DownloadFailedError } from "../source/errors.ts";
import type { FetchedSource } from "../source/mod.ts";
import type { RecordFreshness, VcsSourceState, WorkerRecord } from "./record.ts";
import type { PlannedProvision } from "./_plan.ts";
import { fullVersion } from "./_plan.ts";

/** The commit checked out in each git source of `srcdir`. */
export async function checkedOutCommits(
  fetched: readonly FetchedSource[],
  srcdir: string,
  signal?: AbortSignal,
): Promise<VcsSourceState[]> {
  const out: VcsSourceState[] = [];
  for (const f of fetched) {
    if (f.kind !== "git") continue;
    const head = await runGit(["rev-parse", "HEAD"], {
      cwd: join(srcdir, f.name),
      ...(signal ? { signal } : {}),
    });
    if (!head.ok) continue;
    const { entry } = f.source;
    out.push({
      name: f.name,
      url: entry.location,
      ...(entry.ref ? { ref: { kind: entry.ref.kind, value: entry.ref.value } } : {}),
      commit: head.stdout.trim(),
    });
  }
  return out;
}

/** The freshness part of a record, from the plan, the commits and what pkgver() printed. */
export function freshnessOf(
  planned: PlannedProvision,
  vcs: readonly VcsSourceState[],
  builtPkgver: string,
): RecordFreshness {
  const { plan, pkgbuild } = planned;
  const hasPkgver = "pkgver" in pkgbuild.functions;
  return {
    declaredVersion: fullVersion(pkgbuild),
    ...(hasPkgver ? { pkgver: builtPkgver } : {}),
    ...(typeof plan.entry?.version === "string" ? { catalogVersion: plan.entry.version } : {}),
    vcs,
    sources: plan.sources.map((s) => ({ name: s.name, url: s.url, checksums: s.checksums })),
  };
}

/**
 * The commit `ref` of repository `url` points at now, by `git ls-remote`;
 * null when it names none. Rejects with `DownloadFailedError` when the
 * repository cannot be reached.
 */
export async function remoteCommit(
  url: string,
  ref: VcsSourceState["ref"],
  signal?: AbortSignal,
): Promise<string | null> {
  if (ref?.kind === "commit") return ref.value;
  const pattern = ref === undefined
    ? "HEAD"
    : ref.kind === "branch"
    ? `refs/heads/${ref.value}`
    : `refs/tags/${ref.value}`;
  const listed = await runGit(["ls-remote", "--", url, pattern, `${pattern}^{}`], {
    ...(signal ? { signal } : {}),
  });
  if (!listed.ok) throw new DownloadFailedError(url, `git ls-remote: ${listed.stderr}`);
  const lines = listed.stdout.trim().split("\n").filter(Boolean).map((l) => l.split("\t"));
  const peeled = lines.find(([, name]) => name === `${pattern}^{}`);
  const plain = lines.find(([, name]) => name === pattern);
  return (peeled ?? plain)?.[0] ?? null;
}

/** One VCS source that moved. */
export interface MovedSource {
  /** The source name. */
  readonly name: string;
  /** The commit installed. */
  readonly from: string;
  /** The commit its ref points at now. */
  readonly to: string;
}

/** An installed worker and whether (and why) a newer build is available. */
export interface OutdatedReport {
  /** The worker id. */
  readonly id: string;
  /** The installed full version. */
  readonly installed: string;
  /** The version the recipe declares now. */
  readonly available: string;
  /** Whether a rebuild would change something. */
  readonly outdated: boolean;
  /** Why, one line each (empty when up to date). */
  readonly reasons: readonly string[];
  /** VCS sources whose ref moved. */
  readonly moved: readonly MovedSource[];
}

/**
 * Compares `record` with the current recipe (`latest`): declared version,
 * catalog version, and each VCS source's ref (asked with `git ls-remote`).
 */
export async function compareWithLatest(
  record: WorkerRecord,
  latest: PlannedProvision,
  signal?: AbortSignal,
): Promise<OutdatedReport> {
  const reasons: string[] = [];
  const available = fullVersion(latest.pkgbuild);
  const fresh = record.freshness;
  const declared = fresh?.declaredVersion ?? record.version;
  if (declared !== available) reasons.push(`the recipe moved from ${declared} to ${available}`);
  const catalogVersion = latest.plan.entry?.version;
  if (fresh?.catalogVersion && catalogVersion && fresh.catalogVersion !== catalogVersion) {
    reasons.push(`the catalog version moved from ${fresh.catalogVersion} to ${catalogVersion}`);
  }
  const moved: MovedSource[] = [];
  for (const source of fresh?.vcs ?? []) {
    const now = await remoteCommit(source.url, source.ref, signal);
    if (now !== null && now !== source.commit) {
      moved.push({ name: source.name, from: source.commit, to: now });
      const ref = source.ref ? `${source.ref.kind} ${source.ref.value}` : "HEAD";
      reasons.push(
        `${source.name} ${ref} moved from ${source.commit.slice(0, 12)} to ${now.slice(0, 12)}`,
      );
    }
  }
  return {
    id: record.id,
    installed: record.version,
    available,
    outdated: reasons.length > 0,
    reasons,
    moved,
  };
}
