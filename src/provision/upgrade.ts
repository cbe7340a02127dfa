/**
 * `outdated` and `upgrade`: which installed workers a rebuild would change
 * (see `outdated.ts`), and rebuilding them. An upgrade is an ordinary
 * provision with `reinstall`, so it is one transaction: the new build is
 * staged and swapped in, and a failed build or install leaves the old worker
 * installed, recorded and registered.
 *
 * @module
 */

import type { WorkerBinary } from "./binary.ts";
import { NotInstalledError } from "./errors.ts";
import { compareWithLatest, type OutdatedReport } from "./outdated.ts";
import type { ProvisionCallOptions } from "./options.ts";
import type { WorkerRecord } from "./record.ts";
import type { PlannedProvision } from "./_plan.ts";

/** What `outdated()` and `upgrade()` need from the provisioner. */
export interface UpgradeHost {
  /** Every installed worker's record. */
  records(): Promise<WorkerRecord[]>;
  /** The plan of the worker's current recipe (catalog id, or the PKGBUILD it came from). */
  planLatest(arg: string, signal?: AbortSignal): Promise<PlannedProvision>;
  /** Provisions `arg`. */
  provision(arg: string, options: ProvisionCallOptions): Promise<WorkerBinary>;
}

/** What an upgrade did for one worker. */
export interface UpgradeResult {
  /** The worker id. */
  readonly id: string;
  /** The version before. */
  readonly from: string;
  /** The version after (equal to `from` when it was up to date). */
  readonly to: string;
  /** Whether it was rebuilt. */
  readonly upgraded: boolean;
  /** Why it was rebuilt (empty when up to date). */
  readonly reasons: readonly string[];
  /** The installed worker. */
  readonly worker?: WorkerBinary;
}

/** The argument that resolves a recorded worker's recipe again: its id for a catalog worker, else its PKGBUILD. */
export function recipeArgOf(record: WorkerRecord): string {
  return record.entry ? record.id : record.origin;
}

async function selected(host: UpgradeHost, ids: readonly string[]): Promise<WorkerRecord[]> {
  const records = await host.records();
  if (!ids.length) return records;
  return ids.map((id) => {
    const r = records.find((x) => x.id === id);
    if (!r) throw new NotInstalledError(id, "this layout");
    return r;
  });
}

/** Reports, for each installed worker (or each of `ids`), whether a rebuild would change it. */
export async function outdatedWorkers(
  host: UpgradeHost,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<OutdatedReport[]> {
  const out: OutdatedReport[] = [];
  for (const record of await selected(host, ids)) {
    const latest = await host.planLatest(recipeArgOf(record), signal);
    out.push(await compareWithLatest(record, latest, signal));
  }
  return out;
}

/**
 * Rebuilds every outdated worker (or each of `ids` that is outdated), one
 * transaction each; stops at the first failure, which leaves that worker
 * as it was.
 */
export async function upgradeWorkers(
  host: UpgradeHost,
  ids: readonly string[],
  options: ProvisionCallOptions = {},
): Promise<UpgradeResult[]> {
  const results: UpgradeResult[] = [];
  for (const report of await outdatedWorkers(host, ids, options.signal)) {
    const record = (await host.records()).find((r) => r.id === report.id)!;
    if (!report.outdated) {
      results.push({
        id: report.id,
        from: report.installed,
        to: report.installed,
        upgraded: false,
        reasons: [],
      });
      continue;
    }
    const worker = await host.provision(recipeArgOf(record), { ...options, reinstall: true });
    results.push({
      id: report.id,
      from: report.installed,
      to: worker.version,
      upgraded: true,
      reasons: report.reasons,
      worker,
    });
  }
  return results;
}
