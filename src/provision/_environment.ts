/**
 * The plan's view of what recipe functions get beyond the clean
 * environment: toolchains, the worker's build cache and passed variables.
 *
 * @module
 */

import { buildCacheDirs, buildCacheEnv } from "../run/build_cache.ts";
import type { PlannedEnvironment } from "./plan.ts";
import type { WorkerProvisionerOptions } from "./options.ts";

/** The {@link PlannedEnvironment} of worker `id` under these options. */
export function plannedEnvironment(
  options: WorkerProvisionerOptions,
  cacheDir: string,
  id: string,
): PlannedEnvironment {
  const toolchains = options.toolchains ?? [];
  const cache = options.buildCache === false ? undefined : buildCacheDirs(cacheDir, id);
  const set: Record<string, string> = {};
  for (const t of toolchains) Object.assign(set, t.env);
  if (cache) Object.assign(set, buildCacheEnv(cache));
  const passed = Object.keys(options.buildEnv ?? {});
  for (const name of passed) delete set[name];
  return {
    toolchains: toolchains.map((t) => ({ kind: t.kind, bin: t.bin })),
    ...(cache ? { buildCache: cache.root } : {}),
    variables: [...Object.entries(set).map(([k, v]) => `${k}=${v}`), ...passed],
  };
}
