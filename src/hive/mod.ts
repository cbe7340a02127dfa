/**
 * Registration of installed workers in rbee-hive's worker catalog
 * (`~/.cache/rbee/workers/<id>/metadata.json`), where the hive finds the
 * workers it can spawn.
 *
 * ```ts ignore
 * import { readHiveMetadata } from "@rbee/worker-provisioner";
 *
 * const entry = await readHiveMetadata("/home/me/.cache/rbee/workers", "llm-worker-rbee-cpu");
 * console.log(entry?.artifact.path);
 * ```
 *
 * @module
 */

export * from "./events.ts";
export {
  type HiveArtifact,
  type HiveMetadata,
  hiveMetadata,
  type HivePlatform,
  hivePlatform,
  hiveVersion,
  type HiveWorkerType,
  hiveWorkerType,
  type InstalledWorker,
  mainExecutable,
} from "./metadata.ts";
export {
  defaultHiveCatalogDir,
  ensureRegisteredInHive,
  hiveMetadataPath,
  readHiveMetadata,
  registerInHive,
  unregisterFromHive,
} from "./catalog.ts";
