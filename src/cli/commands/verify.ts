/**
 * `verify <id>`: compares an installed worker's files with its record;
 * exits 14 when they differ.
 *
 * @module
 */

import { ExitCode } from "../../errors.ts";
import type { VerifyReport } from "../../provision/verify.ts";
import { verifyInstalled } from "../../provision/verify_installed.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import type { PermissionNeed } from "../permissions.ts";
import { layoutOf, LOCK_NEED, stateReadNeeds } from "./_state.ts";

/** Reading the record and the installed files; taking the worker's lock (a file in the state directory). */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return [...stateReadNeeds(ctx.config), { name: "write", path: ctx.config.stateDir! }, LOCK_NEED];
}

/** The report for humans: one line per problem, or one line saying all is well. */
export function verifyText(report: VerifyReport): string {
  if (report.ok) {
    return `${report.id} ${report.version}: ${report.checked} paths match the record\n`;
  }
  return report.problems.map((p) =>
    `${p.kind}: ${p.path}${
      p.expected ? ` (expected ${p.expected}, found ${p.actual ?? "-"})` : ""
    }\n`
  ).join("");
}

/** Verifies the worker (the provisioner's own `verify`, without loading its install pipeline: a fast start). */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const report = await verifyInstalled(layoutOf(ctx.config), ctx.args.positionals[0], {
    signal: ctx.signal,
  });
  return {
    value: report,
    text: verifyText(report),
    exitCode: report.ok ? ExitCode.ok : ExitCode.verifyFailed,
  };
}
