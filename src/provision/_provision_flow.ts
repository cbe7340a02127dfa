/**
 * The two job pipelines of {@link WorkerProvisioner}: `provision()` (resolve
 * → plan → lock → fetch → extract → run → stage → install → record, or an
 * install from the local package cache or a binary cache) and `fetch()`
 * (resolve → plan → fetch). The provisioner passes itself in as a
 * {@link FlowHost}: its options, layout and the decisions it owns.
 *
 * @module
 */

import { type WorkerBinary, workerBinaryOf } from "./binary.ts";
import type { SystemProbe } from "../preflight/system.ts";
import { preflightProvision } from "../preflight/provision.ts";
import { acquireLock, type WorkerLock } from "./lock.ts";
import { statePaths } from "./paths.ts";
import { recoverLeftovers, type StateContext } from "./_leftovers.ts";
import { recoverLocked } from "./_worker_lock.ts";
import { resolveRecipe } from "./_plan.ts";
import { mapFsError, ProvisionJob } from "./_job.ts";
import { buildAndInstall } from "./_build.ts";
import { installFromPackageCache } from "./_cached_install.ts";
import { localPackageKey } from "./_package_cache_key.ts";
import { fetchPlanned } from "./_fetch.ts";
import { registerInHive } from "../hive/catalog.ts";
import { isOciRef } from "../oci/reference.ts";
import { isPackageRef } from "./_package_install.ts";
import type { JobHost, PackageJobs } from "./_package_jobs.ts";
import type { FetchCallOptions, FetchResult, ProvisionCallOptions } from "./options.ts";

/** What the pipelines need of the provisioner, beyond what its package jobs need. */
export interface FlowHost extends JobHost {
  /** The layout and build base, for recovery. */
  readonly state: StateContext;
  /** This machine, as the preflight checks see it. */
  probe(): SystemProbe;
  /** The package jobs (binary caches, registries, package files). */
  jobs(): PackageJobs;
  /** An installed worker, registered in the hive's catalog when missing there. */
  registered(worker: WorkerBinary, job: ProvisionJob): Promise<WorkerBinary>;
  /** A worker installed from a package, registered (again) in the hive's catalog. */
  registeredAgain(
    worker: WorkerBinary,
    options: { onEvent?: ProvisionCallOptions["onEvent"]; jobId?: string },
  ): Promise<WorkerBinary>;
}

/** `WorkerProvisioner.provision()`: the whole pipeline as one transaction. */
export async function provisionFlow(
  host: FlowHost,
  idOrPath: string,
  options: ProvisionCallOptions,
): Promise<WorkerBinary> {
  if (isOciRef(idOrPath)) {
    return await host.registeredAgain(
      await host.jobs().installFromRegistry(idOrPath, options),
      options,
    );
  }
  if (isPackageRef(idOrPath)) {
    return await host.registeredAgain(await host.jobs().installPackage(idOrPath, options), options);
  }
  const { signal } = options;
  const job = jobFor(host, idOrPath, options);
  let lock: WorkerLock | undefined;
  let buildDir: string | undefined;
  try {
    for (const r of await recoverLeftovers(host.state)) {
      job.emit({ type: "provision.recovered", id: r.id, outcome: r.outcome });
    }
    const recipe = await job.step(
      "resolve",
      () => resolveRecipe(idOrPath, host.catalog, signal),
    );
    const planned = await job.step("plan", () => host.planResolved(idOrPath, recipe));
    const id = job.id = planned.plan.id;
    for (const message of planned.plan.warnings ?? []) job.emit(planWarning(id, message));
    await options.onPlan?.(planned.plan);
    const early = options.reinstall ? null : await host.installedIntact(planned.plan);
    if (early) return job.done(await host.registered(early, job), "lock");
    await preflightProvision(
      { ...planned.plan, pkgbuild: planned.pkgbuild },
      host.options,
      host.probe(),
      job.forward,
    );
    if (host.options.binaryCache !== undefined) {
      const cached = await host.jobs().provisionViaCache(idOrPath, planned, options);
      if (cached) return await host.registeredAgain(cached, options);
    }
    lock = await job.step("lock", () =>
      acquireLock(statePaths(host.layout.stateDir).lock(id), {
        id,
        timeoutMs: host.options.lockTimeoutMs,
        signal,
        onWait: (holder) =>
          job.emit({ type: "provision.lock-wait", id, ...(holder ? { holder } : {}) }),
      }).catch(mapFsError(host.layout.stateDir)));
    const outcome = await recoverLocked(host.state, id);
    if (outcome !== "none") job.emit({ type: "provision.recovered", id, outcome });
    const again = options.reinstall ? null : await host.installedIntact(planned.plan);
    if (again) return job.done(await host.registered(again, job), "fetch");
    const packageKey = host.options.packageCache === false // local package cache
      ? null
      : await localPackageKey(planned, host.options);
    const cacheCtx = {
      job,
      layout: host.layout,
      force: host.options.force ?? false,
      deep: host.options.packageCache === "deep",
    };
    const cached = packageKey && !options.rebuild
      ? await installFromPackageCache(id, packageKey, planned.plan.origin, {
        ...cacheCtx,
        ...(signal ? { signal } : {}),
      })
      : null;
    buildDir = cached ? undefined : await host.makeBuildDir(id);
    const record = cached ?? await buildAndInstall(planned, {
      buildDir: buildDir!,
      job,
      layout: host.layout,
      options: host.options,
      ...(signal ? { signal } : {}),
      ...(packageKey ? { packageKey } : {}),
    });
    if (host.options.hiveCatalog) {
      await registerInHive(host.options.hiveCatalog, record, job.forward);
    }
    return job.done(workerBinaryOf(record));
  } catch (error) {
    throw job.failed(error);
  } finally {
    if (buildDir && !host.options.keepBuildDir) {
      await host.removeBuildDir(buildDir);
    }
    await lock?.release();
  }
}

/** The job of one provision or fetch call: its id, event sink, signal and the host's hook. */
function jobFor(
  host: FlowHost,
  idOrPath: string,
  options: FetchCallOptions | ProvisionCallOptions,
): ProvisionJob {
  return new ProvisionJob(options.jobId ?? crypto.randomUUID(), idOrPath, {
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    hook: host.hook,
  });
}

/** `WorkerProvisioner.fetch()`: resolve → plan → fetch, nothing built or installed. */
export async function fetchFlow(
  host: FlowHost,
  idOrPath: string,
  options: FetchCallOptions,
): Promise<FetchResult> {
  const { signal } = options;
  const job = jobFor(host, idOrPath, options);
  let scratch: string | undefined;
  try {
    const recipe = await job.step(
      "resolve",
      () => resolveRecipe(idOrPath, host.catalog, signal),
    );
    const planned = await job.step("plan", () => host.planResolved(idOrPath, recipe));
    const { plan } = planned;
    job.id = plan.id;
    await options.onPlan?.(plan);
    // A recipe without a directory has no local sources: look them up in an empty one.
    // (Not named `<id>~`: that name is a locked job's, which recovery may remove.)
    const recipeDir = recipe.recipeDir ?? (scratch = await host.makeBuildDir(".fetch"));
    const sources = await fetchPlanned(planned, {
      job,
      layout: host.layout,
      options: host.options,
      recipeDir,
      ...(signal ? { signal } : {}),
    });
    job.emit({
      type: "provision.fetched",
      id: plan.id,
      version: plan.version,
      arch: plan.arch,
      sources: sources.length,
    });
    return { plan, sources };
  } catch (error) {
    throw job.failed(error);
  } finally {
    if (scratch) {
      await host.removeBuildDir(scratch);
      await Deno.remove(host.state.buildBase).catch(() => {}); // only when empty
    }
  }
}

/** A `plan.warning` event (shown as a warning line; in `--json` as is). */
function planWarning(
  id: string,
  message: string,
): { type: "plan.warning"; id: string; message: string } {
  return { type: "plan.warning", id, message };
}
