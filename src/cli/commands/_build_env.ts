/**
 * The build environment options of `install` and `plan`: `--toolchain DIR`,
 * `--pass-env NAME`, `--env NAME=VALUE`, and rustup's layout found from the
 * invoking user's `HOME`, `CARGO_HOME` and `RUSTUP_HOME`. The values are
 * read here, once, and handed to the library as plain data.
 *
 * @module
 */

import { resolve } from "node:path";
import { discoverToolchains, missingToolchainDirs } from "../../run/toolchain.ts";
import { isVariableName } from "../../run/environment.ts";
import { listOption } from "../args.ts";
import type { CommandContext } from "../context.ts";
import { UsageError } from "../errors.ts";
import { envIfGranted, type PermissionNeed } from "../permissions.ts";
import type { ProvisionerFlags } from "./_provisioner.ts";

const RUSTUP_VARIABLES = ["HOME", "CARGO_HOME", "RUSTUP_HOME"] as const;

function checkedName(name: string, option: string): string {
  if (!isVariableName(name) || name === "HOME") {
    throw new UsageError(`Invalid variable name ${JSON.stringify(name)} for ${option}`, {
      hint: "give a shell variable name other than HOME (builds keep a private HOME)",
    });
  }
  return name;
}

/** `--env NAME=VALUE` values as a record, in order (a later one wins). */
export function parseEnvAssignments(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(`Invalid --env ${JSON.stringify(value)}`, {
        hint: "write it as --env NAME=VALUE",
      });
    }
    out[checkedName(value.slice(0, eq), "--env")] = value.slice(eq + 1);
  }
  return out;
}

/**
 * The variables that must be readable: every `--pass-env` name. rustup's
 * (`HOME`, `CARGO_HOME`, `RUSTUP_HOME`) are read only when granted (the
 * compiled binary has them): without them no rustup toolchain is looked for.
 */
export function buildEnvNeeds(ctx: CommandContext): PermissionNeed[] {
  return listOption(ctx.args, "pass-env").map((variable): PermissionNeed => ({
    name: "env",
    variable,
  }));
}

/** Toolchains and passed variables for the provisioner, from the command line and environment. */
export function buildEnvFlags(
  ctx: CommandContext,
): Pick<ProvisionerFlags, "toolchains" | "buildEnv"> {
  const dirs = listOption(ctx.args, "toolchain").map((d) => resolve(ctx.cwd, d));
  const missing = missingToolchainDirs(dirs);
  if (missing.length) {
    throw new UsageError(`Toolchain directory not found: ${missing.join(", ")}`, {
      hint: "give --toolchain an existing directory (its bin/ goes on PATH)",
    });
  }
  const get = (name: (typeof RUSTUP_VARIABLES)[number]) => envIfGranted(name);
  const home = get("HOME");
  const cargoHome = get("CARGO_HOME");
  const rustupHome = get("RUSTUP_HOME");
  const toolchains = discoverToolchains({
    dirs,
    ...(home !== undefined ? { home } : {}),
    ...(cargoHome !== undefined ? { cargoHome } : {}),
    ...(rustupHome !== undefined ? { rustupHome } : {}),
  });
  const buildEnv: Record<string, string> = {};
  for (const name of listOption(ctx.args, "pass-env")) {
    const value = Deno.env.get(checkedName(name, "--pass-env"));
    if (value !== undefined) buildEnv[name] = value;
  }
  Object.assign(buildEnv, parseEnvAssignments(listOption(ctx.args, "env")));
  return { toolchains, buildEnv };
}
