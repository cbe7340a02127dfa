/**
 * `man` prints the man page (roff), generated from the command table:
 * `worker-provisioner man | man -l -`.
 *
 * @module
 */

import type { CommandContext, CommandOutput } from "../context.ts";
import { manPage } from "../manpage.ts";
import type { PermissionNeed } from "../permissions.ts";

/** Needs nothing. */
export function permissions(_ctx: CommandContext): PermissionNeed[] {
  return [];
}

/** Prints the page. */
export function run(_ctx: CommandContext): Promise<CommandOutput> {
  const page = manPage();
  return Promise.resolve({ value: { page }, text: page });
}
