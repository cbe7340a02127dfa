/**
 * `doctor [--repair]`: lists what interrupted runs left in the state
 * directory (journals, staging trees, lock and temp files, build
 * directories) and what is damaged (records or journals that fail their
 * schema, records whose files are gone); `--repair` fixes it, moving
 * damaged files aside to `damaged/` in the state directory. Exits 23 when
 * something is left to repair.
 *
 * @module
 */

import { ExitCode } from "../../errors.ts";
import type { DoctorReport } from "../../provision/doctor.ts";
import { flag } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, readWriteNeeds } from "../permissions.ts";
import { createProvisioner, LOCK_NEED, stateWriteNeeds } from "./_provisioner.ts";

/** Changing the state directory and the root (recovery), the build directories in the cache. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  return [
    ...stateWriteNeeds(ctx.config),
    ...(ctx.config.cacheDir ? readWriteNeeds(ctx.config.cacheDir) : []),
    LOCK_NEED,
  ];
}

/** The report for humans: one line per finding, then a summary. */
export function doctorText(report: DoctorReport, repair: boolean): string {
  const lines = report.findings.map((f) =>
    `${f.repaired ? "repaired" : "found"} ${f.kind}: ${f.path}: ${f.problem} (${f.fix})\n`
  );
  if (!report.findings.length) lines.push("the state directory is clean\n");
  else if (!report.ok && !repair) {
    lines.push("run `worker-provisioner doctor --repair` to fix it\n");
  }
  return lines.join("");
}

/** Diagnoses (and with --repair fixes) the state directory. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const repair = flag(ctx.args, "repair");
  const provisioner = createProvisioner(ctx.config);
  const report = await provisioner.doctor({ repair });
  return {
    value: report,
    text: doctorText(report, repair),
    exitCode: report.ok ? ExitCode.ok : ExitCode.stateDamaged,
  };
}
