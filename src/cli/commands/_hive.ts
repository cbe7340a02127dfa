/**
 * Where `install`, `upgrade` and `uninstall` register workers for rbee-hive:
 * `--hive-catalog DIR`; else, without `--root` (flag or
 * `WORKER_PROVISIONER_ROOT`), the invoking user's
 * `$XDG_CACHE_HOME/rbee/workers` (`~/.cache/rbee/workers`), which is what the
 * hive reads; `--no-hive-catalog` opts out.
 *
 * @module
 */

import { resolve } from "node:path";
import { defaultHiveCatalogDir } from "../../hive/catalog.ts";
import { flag, stringOption } from "../args.ts";
import type { CommandContext } from "../context.ts";
import { envIfGranted, type PermissionNeed, readWriteNeeds } from "../permissions.ts";

/** The hive catalog directory of this run, or undefined when workers are not registered. */
export function hiveCatalogDir(ctx: CommandContext): string | undefined {
  if (flag(ctx.args, "no-hive-catalog")) return undefined;
  const named = stringOption(ctx.args, "hive-catalog");
  if (named) return resolve(ctx.cwd, named);
  if (stringOption(ctx.args, "root") !== undefined) return undefined;
  if (envIfGranted("WORKER_PROVISIONER_ROOT") !== undefined) return undefined;
  return defaultHiveCatalogDir({
    xdgCacheHome: envIfGranted("XDG_CACHE_HOME"),
    home: envIfGranted("HOME"),
  });
}

/** Writing the hive catalog directory, when there is one. */
export function hiveNeeds(ctx: CommandContext): PermissionNeed[] {
  const dir = hiveCatalogDir(ctx);
  return dir ? readWriteNeeds(dir) : [];
}

/** Options to pass to the provisioner. */
export function hiveFlags(ctx: CommandContext): { hiveCatalog?: string } {
  const dir = hiveCatalogDir(ctx);
  return dir ? { hiveCatalog: dir } : {};
}
