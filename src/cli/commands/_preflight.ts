/**
 * The preflight options of `install` and `upgrade` (`--nodeps`,
 * `--nocheck`, `--system-root`), their `--sandbox`, and `install --best`.
 *
 * @module
 */

import { resolve } from "node:path";
import type { WorkerProvisioner } from "../../provision/mod.ts";
import { IncompatibleError } from "../../provision/errors.ts";
import { flag, stringOption } from "../args.ts";
import type { CommandContext } from "../context.ts";
import type { ProvisionerFlags } from "./_provisioner.ts";
import { UsageError } from "../errors.ts";

/** `--sandbox MODE`, checked. */
function sandboxMode(ctx: CommandContext): "auto" | "require" | "off" | undefined {
  const mode = stringOption(ctx.args, "sandbox");
  if (mode === undefined) return undefined;
  if (mode === "auto" || mode === "require" || mode === "off") return mode;
  throw new UsageError(`Invalid --sandbox ${mode}`, { hint: "use --sandbox auto, require or off" });
}

/** The provisioner options of the preflight flags and `--sandbox`. */
export function preflightFlags(
  ctx: CommandContext,
): Pick<ProvisionerFlags, "nodeps" | "check" | "systemRoot" | "sandbox"> {
  const root = stringOption(ctx.args, "system-root");
  const sandbox = sandboxMode(ctx);
  return {
    ...(sandbox ? { sandbox } : {}),
    ...(flag(ctx.args, "nodeps") ? { nodeps: true } : {}),
    ...(flag(ctx.args, "nocheck") ? { check: false } : {}),
    ...(root ? { systemRoot: resolve(ctx.cwd, root) } : {}),
  };
}

/** The id of the best variant of implementation `name` here; throws when none can run. */
export async function bestVariantOf(
  provisioner: WorkerProvisioner,
  name: string,
  ctx: CommandContext,
): Promise<string> {
  const id = await provisioner.bestVariant(name, { signal: ctx.signal });
  if (id === null) {
    throw new IncompatibleError(
      `No variant of ${name} in the catalog can run on this machine`,
      [],
    );
  }
  ctx.renderer.info(`best variant of ${name} here: ${id}`);
  return id;
}
