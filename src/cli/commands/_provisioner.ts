/**
 * Builds the library's `WorkerProvisioner` from the CLI's settings, and the
 * permissions its operations need.
 *
 * @module
 */

import type { ProvisionPlan } from "../../provision/plan.ts";
import { WorkerProvisioner, type WorkerProvisionerOptions } from "../../provision/provisioner.ts";
import type { CliConfig } from "../config.ts";
import { type PermissionNeed, readWriteNeeds, SYMLINK_NEEDS } from "../permissions.ts";
import { catalogNeeds, catalogString } from "./_catalog.ts";
import { LOCK_NEED } from "./_state.ts";
export { LOCK_NEED, stateReadNeeds, stateWriteNeeds } from "./_state.ts";
import { pauseHookFromEnv } from "../_pause_hook.ts";
import { setStepHook } from "../../provision/_job.ts";

/** Options the CLI adds to the provisioner beyond its settings. */
export type ProvisionerFlags = Pick<
  WorkerProvisionerOptions,
  | "force"
  | "keepBuildDir"
  | "env"
  | "sandbox"
  | "check"
  | "trustedMetadata"
  | "fetchOptions"
  | "extractLimits"
  | "toolchains"
  | "buildEnv"
  | "hiveCatalog"
  | "nodeps"
  | "systemRoot"
  | "binaryCache"
  | "publishToCache"
  | "registry"
  | "packageVerifiers"
>;

/** Creates the provisioner for `config`. */
export function createProvisioner(
  config: CliConfig,
  flags: ProvisionerFlags = {},
): WorkerProvisioner {
  const provisioner = new WorkerProvisioner({
    ...(config.catalog ? { catalog: catalogString(config.catalog) } : {}),
    ...(config.root !== undefined ? { root: config.root } : {}),
    ...(config.userPrefix !== undefined ? { userPrefix: config.userPrefix } : {}),
    ...(config.stateDir !== undefined ? { stateDir: config.stateDir } : {}),
    ...(config.cacheDir !== undefined ? { cacheDir: config.cacheDir } : {}),
    ...(config.arch !== undefined ? { arch: config.arch } : {}),
    ...flags,
  });
  // The fault-injection tests' pause hook (`src/cli/_pause_hook.ts`), when its variable is granted and set.
  const pause = pauseHookFromEnv();
  if (pause) setStepHook(provisioner, pause);
  return provisioner;
}

/** Permissions to reach the catalog and use the cache. */
export function fetchNeeds(config: CliConfig): PermissionNeed[] {
  const needs = catalogNeeds(config.catalog);
  if (config.cacheDir) needs.push(...readWriteNeeds(config.cacheDir));
  return needs;
}

/** What a planned provision needs on top: its source hosts and every program it may start. */
export function planNeeds(plan: ProvisionPlan): PermissionNeed[] {
  return [
    ...plan.hosts.map((host): PermissionNeed => ({ name: "net", host })),
    ...plan.programs.map((command): PermissionNeed => ({ name: "run", command })),
  ];
}

/**
 * Everything an install needs: the catalog, unscoped read and write (see
 * {@link SYMLINK_NEEDS}; they cover the cache, state and root), the lock,
 * bash, and (with a plan) the source hosts and programs.
 */
export function installNeeds(config: CliConfig, plan?: ProvisionPlan): PermissionNeed[] {
  return [
    ...catalogNeeds(config.catalog),
    ...SYMLINK_NEEDS,
    LOCK_NEED,
    { name: "run", command: "bash" },
    ...(plan ? planNeeds(plan) : []),
  ];
}
