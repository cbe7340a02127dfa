/**
 * An installed worker as a provision sees it: whether the planned version is
 * already there and intact, and its registration in the hive's worker
 * catalog (`hiveCatalog`).
 *
 * @module
 */

import { type WorkerBinary, workerBinaryOf } from "./binary.ts";
import type { Layout } from "./paths.ts";
import type { ProvisionJob } from "./_job.ts";
import { readRecord } from "./record.ts";
import { verifyRecord } from "./verify.ts";
import { ensureRegisteredInHive, registerInHive } from "../hive/catalog.ts";
import type { HiveEvent } from "../hive/events.ts";
import { envelope } from "../events.ts";
import type { ProvisionCallOptions } from "./options.ts";

/** The installed worker of `plan` when it is the same version and arch and intact, else null. */
export async function installedIntact(
  layout: Layout,
  plan: { readonly id: string; readonly version: string; readonly arch: string },
): Promise<WorkerBinary | null> {
  const record = await readRecord(layout.stateDir, plan.id, layout.root);
  if (!record || record.version !== plan.version || record.arch !== plan.arch) return null;
  return (await verifyRecord(record)).ok ? workerBinaryOf(record, true) : null;
}

/** An already installed worker, registered in the hive's catalog (`hiveCatalog`) when it is missing there. */
export async function registered(
  layout: Layout,
  hiveCatalog: string | undefined,
  worker: WorkerBinary,
  job: ProvisionJob,
): Promise<WorkerBinary> {
  const record = await readRecord(layout.stateDir, worker.id, layout.root);
  if (hiveCatalog && record) await ensureRegisteredInHive(hiveCatalog, record, job.forward);
  return worker;
}

/** A worker installed from a package, registered in the hive's catalog (rewritten: it may be an upgrade). */
export async function registeredAgain(
  layout: Layout,
  hiveCatalog: string | undefined,
  worker: WorkerBinary,
  options: { onEvent?: ProvisionCallOptions["onEvent"]; jobId?: string },
): Promise<WorkerBinary> {
  if (!hiveCatalog || worker.alreadyInstalled) return worker;
  const record = await readRecord(layout.stateDir, worker.id, layout.root);
  if (record) {
    const forward = (event: HiveEvent) =>
      options.onEvent?.(envelope(options.jobId ?? worker.id, event));
    await registerInHive(hiveCatalog, record, forward);
  }
  return worker;
}
