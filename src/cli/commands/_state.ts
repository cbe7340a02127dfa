/**
 * The installation's state as the CLI reaches it without loading the
 * provisioner: its layout, and the permissions to read or change it.
 *
 * @module
 */

import { join } from "../../_path.ts";
import { type Layout, systemStateDir } from "../../provision/paths.ts";
import type { CliConfig } from "../config.ts";
import { type PermissionNeed, readWriteNeeds } from "../permissions.ts";

/** The layout of `config`, with the provisioner's defaults. */
export function layoutOf(config: CliConfig): Layout {
  const root = config.root ?? "/";
  return {
    root,
    ...(config.userPrefix !== undefined ? { userPrefix: config.userPrefix } : {}),
    stateDir: config.stateDir ?? systemStateDir(root),
    cacheDir: config.cacheDir ?? join(root, "var/cache/worker-provisioner"),
  };
}

/** Writing a lock file records the host name (`--allow-sys=hostname`). */
export const LOCK_NEED: PermissionNeed = { name: "sys", kind: "hostname" };

/** Permissions to read the records and the installed files (list, verify). */
export function stateReadNeeds(config: CliConfig): PermissionNeed[] {
  const needs: PermissionNeed[] = [];
  if (config.stateDir) needs.push({ name: "read", path: config.stateDir });
  if (config.root) needs.push({ name: "read", path: config.userPrefix ?? config.root });
  return needs;
}

/** Permissions to change the installation (install, uninstall): state and root. */
export function stateWriteNeeds(config: CliConfig): PermissionNeed[] {
  const needs: PermissionNeed[] = [];
  if (config.stateDir) needs.push(...readWriteNeeds(config.stateDir));
  if (config.root) needs.push(...readWriteNeeds(config.userPrefix ?? config.root));
  return needs;
}
