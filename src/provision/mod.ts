/**
 * The provisioner: catalog to installed worker, as one transaction — atomic,
 * locked, recorded and reversible.
 *
 * @example Install a worker from a catalog directory into a temporary root
 * ```ts ignore
 * import { WorkerProvisioner } from "@rbee/worker-provisioner";
 *
 * const provisioner = new WorkerProvisioner({ catalog: "./fixtures/demo", root: "/tmp/root" });
 * const worker = await provisioner.provision("demo-hello", {
 *   onEvent: (e) => console.log(JSON.stringify(e)),
 * });
 * console.log(worker.executables);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./events.ts";
export * from "./binary.ts";
export * from "./paths.ts";
export * from "./compat.ts";
export * from "./catalog/entry.ts";
export * from "./catalog/client.ts";
export * from "./catalog/server.ts";
export * from "./record.ts";
export * from "./lock.ts";
export * from "./install.ts";
export * from "./uninstall.ts";
export * from "./verify.ts";
export * from "./doctor.ts";
export type { PlannedDownload, PlannedPaths, ProvisionPlan } from "./_plan.ts";
export type { PlannedEnvironment } from "./plan.ts";
export * from "./provisioner.ts";
export { type MovedSource, type OutdatedReport, remoteCommit } from "./outdated.ts";
export { recipeArgOf, type UpgradeResult } from "./upgrade.ts";
