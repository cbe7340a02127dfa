/**
 * The man page, `worker-provisioner(1)`, generated from the command table
 * (`spec.ts`) and the exit codes, as roff for `man -l`. Pure; `docs/` holds a
 * generated copy that a test keeps equal to this output.
 *
 * @module
 */

import { ExitCode } from "../errors.ts";
import {
  COMMANDS,
  ENVIRONMENT,
  GLOBAL_OPTIONS,
  type OptionSpec,
  PROGRAM,
  VERSION,
} from "./spec.ts";

/** Escapes text for roff: backslashes, leading dots and quotes, and hyphens in options. */
function roff(text: string): string {
  return text.replaceAll("\\", "\\e").replaceAll("-", "\\-").replace(/^([.'])/gm, "\\&$1");
}

function optionItems(options: readonly OptionSpec[]): string[] {
  return options.flatMap((o) => {
    const name = `${o.short ? `\\fB\\-${o.short}\\fR, ` : ""}\\fB\\-\\-${roff(o.name)}\\fR${
      o.value ? ` \\fI${roff(o.value)}\\fR` : ""
    }`;
    const extra = [o.env ? `Environment: ${o.env}.` : "", o.default ? `Default: ${o.default}.` : ""]
      .filter(Boolean).map(roff);
    return [".TP", name, roff(o.description) + ".", ...extra];
  });
}

/** The man page source (roff, `man` macros). */
export function manPage(): string {
  const lines = [
    `.TH ${
      PROGRAM.toUpperCase().replaceAll("-", "\\-")
    } 1 "" "${PROGRAM} ${VERSION}" "User Commands"`,
    ".SH NAME",
    `${roff(PROGRAM)} \\- put rbee's LLM inference workers onto machines`,
    ".SH SYNOPSIS",
    `.B ${roff(PROGRAM)}`,
    "\\fIcommand\\fR [\\fIoptions\\fR]",
    ".SH DESCRIPTION",
    roff(
      "Reads a worker's Arch-style PKGBUILD from a worker catalog, a catalog directory or a " +
        "local file with a static evaluator that never runs it, fetches and verifies its sources " +
        "for the host architecture, runs its functions in bash inside a sandbox, and installs " +
        "the result as one transaction. Ctrl-C cancels and rolls back.",
    ),
    ".SH COMMANDS",
  ];
  for (const c of COMMANDS) {
    lines.push(".SS", `\\fB${roff(PROGRAM)} ${roff(c.usage)}\\fR`);
    lines.push(roff(c.summary) + ".", ".PP", ...c.description.split("\n").map(roff));
    if (c.options.length) lines.push(".PP", "Options:", ".RS", ...optionItems(c.options), ".RE");
    if (c.examples.length) {
      lines.push(".PP", "Examples:", ".RS");
      for (const [cmd, what] of c.examples) lines.push(".TP", `\\f(CW${roff(cmd)}\\fR`, roff(what));
      lines.push(".RE");
    }
  }
  lines.push(".SH GLOBAL OPTIONS", ...optionItems(GLOBAL_OPTIONS));
  lines.push(".SH ENVIRONMENT");
  for (const [name, what] of ENVIRONMENT) lines.push(".TP", `\\fB${roff(name)}\\fR`, roff(what));
  lines.push(".SH EXIT STATUS");
  for (const [name, code] of Object.entries(ExitCode)) {
    lines.push(".TP", `\\fB${code}\\fR`, roff(name));
  }
  lines.push(".SH SEE ALSO", "\\fBmakepkg\\fR(8), \\fBPKGBUILD\\fR(5), \\fBpacman\\fR(8)", "");
  return lines.join("\n");
}
