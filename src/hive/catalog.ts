/**
 * Registration in rbee-hive's worker catalog: `DIR/<id>/metadata.json`
 * written atomically (temp file, fsync, rename) after an install or an
 * upgrade, removed on uninstall. The hive scans DIR's subdirectories and
 * skips what it cannot parse, so a registration that cannot be made is
 * reported (`hive.warning`) and the install stays: the worker is installed,
 * only the hive does not see it.
 *
 * DIR is the invoking user's `$XDG_CACHE_HOME/rbee/workers`
 * (`~/.cache/rbee/workers`, rbee-hive's `dirs::cache_dir()/rbee/workers`)
 * unless the caller names one; see {@link defaultHiveCatalogDir}.
 *
 * @module
 */

import { join } from "node:path";
import { removeIfEmptyDir, writeFileAtomic } from "../provision/_fs.ts";
import type { HiveEvent } from "./events.ts";
import { type HiveMetadata, hiveMetadata, type InstalledWorker } from "./metadata.ts";

/** The hive's default catalog directory for a user's `XDG_CACHE_HOME` / `HOME`, or undefined without either. */
export function defaultHiveCatalogDir(
  env: { readonly xdgCacheHome?: string; readonly home?: string },
): string | undefined {
  if (env.xdgCacheHome) return join(env.xdgCacheHome, "rbee/workers");
  if (env.home) return join(env.home, ".cache/rbee/workers");
  return undefined;
}

/** The path of worker `id`'s metadata.json in catalog `dir`. */
export function hiveMetadataPath(dir: string, id: string): string {
  return join(dir, id, "metadata.json");
}

/** Reads worker `id`'s entry in catalog `dir`, or null when there is none. */
export async function readHiveMetadata(dir: string, id: string): Promise<HiveMetadata | null> {
  try {
    return JSON.parse(await Deno.readTextFile(hiveMetadataPath(dir, id)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Registers `worker` in catalog `dir` (creating it), replacing an earlier
 * entry; reports `hive.registered`, or `hive.warning` when it cannot.
 */
export async function registerInHive(
  dir: string,
  worker: InstalledWorker,
  onEvent: (event: HiveEvent) => void,
): Promise<HiveMetadata | null> {
  const warn = (why: string) =>
    onEvent({
      type: "hive.warning",
      id: worker.id,
      message: `${worker.id} is not registered in the hive's worker catalog: ${why}`,
    });
  const path = hiveMetadataPath(dir, worker.id);
  let made: ReturnType<typeof hiveMetadata>;
  try {
    made = hiveMetadata(worker, (exe) => Deno.statSync(exe).size);
  } catch (error) {
    warn(`its main executable cannot be read: ${(error as Error).message}`);
    return null;
  }
  if ("problem" in made) {
    warn(made.problem);
    return null;
  }
  try {
    await Deno.mkdir(join(dir, worker.id), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(made.metadata, null, 2)}\n`);
  } catch (error) {
    warn(`cannot write ${path}: ${(error as Error).message}`);
    return null;
  }
  onEvent({
    type: "hive.registered",
    id: worker.id,
    path,
    message: `registered ${worker.id} in the hive's worker catalog (${path})`,
  });
  return made.metadata;
}

/** Removes worker `id`'s entry from catalog `dir` (reports `hive.unregistered` when there was one). */
export async function unregisterFromHive(
  dir: string,
  id: string,
  onEvent: (event: HiveEvent) => void = () => {},
): Promise<boolean> {
  const entryDir = join(dir, id);
  try {
    await Deno.remove(hiveMetadataPath(dir, id));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  await removeIfEmptyDir(entryDir);
  onEvent({
    type: "hive.unregistered",
    id,
    path: entryDir,
    message: `removed ${id} from the hive's worker catalog`,
  });
  return true;
}

/**
 * Registers `worker` unless catalog `dir` has its entry already (an install
 * that found the worker installed: it may have been installed with
 * `--no-hive-catalog` or under another catalog directory).
 */
export async function ensureRegisteredInHive(
  dir: string,
  worker: InstalledWorker,
  onEvent: (event: HiveEvent) => void,
): Promise<void> {
  if ((await readHiveMetadata(dir, worker.id).catch(() => null)) === null) {
    await registerInHive(dir, worker, onEvent);
  }
}
