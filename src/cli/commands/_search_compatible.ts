/**
 * `search --compatible`: the catalog entries that can run here, as the
 * provisioner ranks them. Its own module, loaded on use (`../loaders.ts`),
 * so a plain `search` does not load the provisioner.
 *
 * @module
 */

import type { CommandContext } from "../context.ts";
import { preflightFlags } from "./_preflight.ts";
import { createProvisioner } from "./_provisioner.ts";

/** The entries that can run here, best variant first. */
export async function compatibleOf(ctx: CommandContext): Promise<Record<string, unknown>[]> {
  const provisioner = createProvisioner(ctx.config, preflightFlags(ctx));
  return (await provisioner.compatible({ signal: ctx.signal })) as unknown as Record<
    string,
    unknown
  >[];
}
