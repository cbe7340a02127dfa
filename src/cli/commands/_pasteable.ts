/**
 * The `install` command line `plan --permissions` prints: the settings the
 * plan was computed from passed as flags (so the pasted command reads no
 * variable it is not granted and installs what was planned), and exactly the
 * permissions that command needs, for a checkout, for JSR and for the binary.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProvisionPlan } from "../../provision/mod.ts";
import type { ParsedArgs } from "../args.ts";
import { DenoConfigSource, resolveConfig } from "../config.ts";
import type { CommandContext } from "../context.ts";
import { type PermissionNeed, toFlags } from "../permissions.ts";
import { findCommand, PROGRAM } from "../spec.ts";
import { catalogString } from "./_catalog.ts";
import { installNeeds } from "./_provisioner.ts";

/** An install command line in its three forms. */
export interface PasteableInstall {
  /** The Deno permission flags. */
  readonly flags: readonly string[];
  /** The arguments after the program: `install <target> --catalog ... --arch ...`. */
  readonly args: readonly string[];
  /** `deno run FLAGS /path/cli.ts ARGS`, when this CLI runs from a checkout on disk. */
  readonly checkout?: string;
  /** `deno run FLAGS jsr:@rbee/worker-provisioner/cli ARGS`. */
  readonly jsr: string;
  /** `worker-provisioner ARGS` (the binary has its permissions baked in). */
  readonly binary: string;
}

/** Quotes `word` for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The settings of `ctx` as install flags; a defaulted root stays defaulted (user layouts). */
function settingArgs(ctx: CommandContext): string[] {
  const c = ctx.config;
  // A root layout passes its root; a user layout (`~/.local`) exists only
  // while the root is defaulted, so there the pasted command defaults it too.
  const root = c.userPrefix === undefined ? c.root : undefined;
  return [
    ...(c.catalog ? ["--catalog", catalogString(c.catalog)] : []),
    ...(root !== undefined ? ["--root", root] : []),
    ...(c.cacheDir ? ["--cache-dir", c.cacheDir] : []),
    ...(c.stateDir ? ["--state-dir", c.stateDir] : []),
    ...(c.arch ? ["--arch", c.arch] : []),
  ];
}

/**
 * The install command for `target` (a worker id or an absolute recipe path),
 * planned as `plan`, with `extra` options (`--trusted`) and `local` needs
 * (reading a local recipe).
 */
export function pasteableInstall(
  ctx: CommandContext,
  target: string,
  plan: ProvisionPlan,
  extra: readonly string[],
  local: readonly PermissionNeed[],
): PasteableInstall {
  const settings = settingArgs(ctx);
  const args = ["install", target, ...settings, ...extra];
  // Resolve the pasted command's settings the way it will: what it reads
  // (a defaulted root reads WORKER_PROVISIONER_ROOT, the uid and HOME) is
  // what it must be granted.
  const install = findCommand("install")!;
  const source = new DenoConfigSource();
  const parsed: ParsedArgs = { values: flagValues(settings), positionals: [target] };
  const config = resolveConfig(install.settings, parsed, source, ctx.cwd);
  const flags = toFlags([...source.used, ...installNeeds(config, plan), ...local]);
  const line = args.map(shellQuote).join(" ");
  const cli = new URL("../../../cli.ts", import.meta.url);
  const path = cli.protocol === "file:" ? fileURLToPath(cli) : undefined;
  return {
    flags,
    args,
    ...(path && existsSync(path)
      ? { checkout: `deno run ${flags.join(" ")} ${shellQuote(path)} ${line}` }
      : {}),
    jsr: `deno run ${flags.join(" ")} jsr:@rbee/worker-provisioner/cli ${line}`,
    binary: `${PROGRAM} ${line}`,
  };
}

function flagValues(settings: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < settings.length; i += 2) values[settings[i].slice(2)] = settings[i + 1];
  return values;
}

/** The three forms as text, each under a comment line, ready to paste. */
export function pasteableText(install: PasteableInstall): string {
  return [
    ...(install.checkout ? ["# from this checkout", install.checkout] : []),
    "# from JSR",
    install.jsr,
    "# with the compiled binary (its permissions are built in)",
    install.binary,
    "",
  ].join("\n");
}
