/**
 * Global and per-command help text, generated from the command table
 * (`spec.ts`): usage, options with their environment variable and default,
 * and examples.
 *
 * @module
 */

import { ExitCode } from "../errors.ts";
import {
  COMMANDS,
  type CommandSpec,
  ENVIRONMENT,
  GLOBAL_OPTIONS,
  type OptionSpec,
  PROGRAM,
  VERSION,
} from "./spec.ts";

function optionLabel(o: OptionSpec): string {
  const long = `--${o.name}${o.value ? ` ${o.value}` : ""}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const width = Math.max(...options.map((o) => optionLabel(o).length)) + 2;
  const lines: string[] = [];
  for (const o of options) {
    lines.push(`  ${optionLabel(o).padEnd(width)}${o.description}`);
    const extra = [o.env ? `env ${o.env}` : "", o.default ? `default: ${o.default}` : ""]
      .filter(Boolean);
    if (extra.length) lines.push(`  ${"".padEnd(width)}[${extra.join("; ")}]`);
  }
  return lines;
}

function exitCodeLines(): string[] {
  const entries = Object.entries(ExitCode).map(([name, code]) => `${code} ${name}`);
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += 6) lines.push(`  ${entries.slice(i, i + 6).join(", ")}`);
  return lines;
}

/** The global help: every command, the global options and the environment. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `${PROGRAM} ${VERSION}: puts rbee's LLM inference workers onto machines`,
    "",
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Environment:",
    ...ENVIRONMENT.map(([name, what]) => `  ${name}: ${what}`),
    "",
    "Examples:",
    `  ${PROGRAM} search --catalog ./fixtures/demo`,
    `  ${PROGRAM} install demo-hello --catalog ./fixtures/demo --root /tmp/root`,
    `  ${PROGRAM} plan demo-hello --catalog ./fixtures/demo --permissions`,
    "",
    "Exit codes:",
    ...exitCodeLines(),
    "",
    `Run \`${PROGRAM} <command> --help\` for a command's options, examples and defaults.`,
    "",
  ].join("\n");
}

/** The help of one command: usage, description, options, examples. */
export function commandHelp(command: CommandSpec): string {
  const lines = [
    `Usage: ${PROGRAM} ${command.usage}`,
    "",
    command.summary,
    "",
    command.description,
    "",
  ];
  if (command.options.length) lines.push("Options:", ...optionLines(command.options), "");
  lines.push("Global options:", ...optionLines(GLOBAL_OPTIONS), "");
  lines.push("Examples:");
  for (const [cmd, what] of command.examples) lines.push(`  ${cmd}`, `      ${what}`);
  lines.push("");
  return lines.join("\n");
}
