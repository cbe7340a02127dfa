/**
 * Preflight of a planned provision, as the provisioner runs it after the
 * plan and before the lock and the fetch.
 *
 * @module
 */

import type { Pkgbuild } from "../pkgbuild/model.ts";
import type { CatalogEntry } from "../provision/catalog/entry.ts";
import type { Toolchain } from "../run/toolchain.ts";
import type { PreflightPassedEvent } from "./events.ts";
import { checkPreflight } from "./preflight.ts";
import type { SystemProbe } from "./system.ts";

/** What {@link preflightProvision} checks. */
export interface PlannedWorker {
  /** The worker id. */
  readonly id: string;
  /** Its catalog entry, when there is one (its `worker_type`). */
  readonly entry?: CatalogEntry;
  /** The evaluated recipe. */
  readonly pkgbuild: Pkgbuild;
}

/** Checks `worker` on `probe`'s machine; throws `PreflightUnmetError` listing everything unmet. */
export async function preflightProvision(
  worker: PlannedWorker,
  options: {
    readonly nodeps?: boolean;
    readonly check?: boolean;
    readonly toolchains?: readonly Toolchain[];
  },
  probe: SystemProbe,
  emit: (event: PreflightPassedEvent) => void,
): Promise<void> {
  const nodeps = options.nodeps ?? false;
  await checkPreflight(worker.id, worker.pkgbuild, {
    ...(worker.entry?.worker_type ? { workerType: worker.entry.worker_type } : {}),
    nodeps,
    check: options.check ?? true,
    probe,
    toolchainBins: (options.toolchains ?? []).map((t) => t.bin),
  });
  emit({
    type: "preflight.passed",
    id: worker.id,
    nodeps,
    message: `preflight: ${worker.id} can be built here${
      nodeps ? " (dependencies not checked)" : ""
    }`,
  });
}
