/**
 * Turns the library's typed progress events into what a human renderer
 * shows: a progress update, a line of build output, a status line, or
 * nothing. The plain and TTY renderers share it; `--json` does not (it
 * prints events as they are).
 *
 * @module
 */

import type { StageEvent } from "../../events.ts";

/** What a human renderer does with one event. */
export type EventView =
  | {
    /** A transfer advanced. */
    readonly kind: "progress";
    /** The bar's key (the source's file name). */
    readonly id: string;
    /** Bytes present so far. */
    readonly bytes: number;
    /** Total bytes, when known. */
    readonly total?: number;
    /** Rate in bytes per second. */
    readonly rate: number;
  }
  | {
    /** A transfer ended; its bar goes away and `line` is printed. */
    readonly kind: "finish";
    /** The bar's key. */
    readonly id: string;
    /** The line printed instead. */
    readonly line: string;
  }
  | {
    /** A line of recipe output, printed above the bars. */
    readonly kind: "output";
    /** The line, without its newline. */
    readonly line: string;
  }
  | {
    /** A step began or a notable thing happened; `verbose` ones show only with `--verbose`. */
    readonly kind: "status";
    /** The line. */
    readonly line: string;
    /** Whether the line is shown only with `--verbose`. */
    readonly verbose: boolean;
    /** Whether this begins a phase shown on the status line (TTY). */
    readonly phase?: boolean;
  }
  | {
    /** Something went wrong but the run goes on. */
    readonly kind: "warning";
    /** The line. */
    readonly line: string;
  };

type Fields = Record<string, unknown>;

function str(e: Fields, key: string): string {
  const v = e[key];
  return typeof v === "string" ? v : v === undefined ? "" : String(v);
}

function num(e: Fields, key: string): number | undefined {
  const v = e[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function describeSource(e: Fields, type: string): EventView | undefined {
  const name = str(e, "name");
  switch (type) {
    case "source.start":
      return { kind: "status", line: `fetching ${name} (${str(e, "url")})`, verbose: false };
    case "source.wait":
      return {
        kind: "status",
        line: `waiting for another worker-provisioner to finish fetching ${name}`,
        verbose: false,
      };
    case "source.progress":
      return {
        kind: "progress",
        id: name,
        bytes: num(e, "bytes") ?? 0,
        total: num(e, "total"),
        rate: num(e, "rate") ?? 0,
      };
    case "source.cached":
      return { kind: "status", line: `found ${name} in the cache`, verbose: true };
    case "source.verified": {
      const algos = Array.isArray(e.algorithms) ? e.algorithms.join(", ") : "";
      return { kind: "status", line: `verified ${name} (${algos || "SKIP"})`, verbose: true };
    }
    case "source.retry":
      return {
        kind: "warning",
        line: `retrying ${name} (attempt ${num(e, "attempt") ?? "?"}): ${str(e, "reason")}`,
      };
    case "source.warning":
      return { kind: "warning", line: `${name}: ${str(e, "message")}` };
    case "source.done":
      return {
        kind: "finish",
        id: name,
        line: e.fromCache === true ? `${name}: cached` : `fetched ${name}`,
      };
    case "source.extract":
      return {
        kind: "status",
        line: `extracting ${name} (${str(e, "format")}, ${str(e, "tool")})`,
        verbose: str(e, "format") === "symlink",
        phase: true,
      };
  }
  return undefined;
}

// deno-lint-ignore no-control-regex
const ESCAPE_SEQUENCE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]/g;
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Removes ANSI escape sequences and control characters (a recipe's colours, `\r` spinners). */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}

function describeOutput(e: Fields): EventView | undefined {
  const line = typeof e.line === "string"
    ? e.line
    : typeof e.text === "string"
    ? e.text
    : undefined;
  return line === undefined ? undefined : { kind: "output", line: stripControls(line) };
}

const STEP_LINES: Readonly<Record<string, string>> = {
  resolve: "resolving",
  plan: "planning",
  lock: "locking",
  fetch: "fetching sources",
  extract: "extracting sources",
  run: "running the recipe",
  stage: "staging",
  install: "installing",
  record: "recording",
};

function describeProvision(e: Fields, type: string): EventView | undefined {
  switch (type) {
    case "provision.step": {
      const step = str(e, "step");
      if (str(e, "state") !== "start") return undefined;
      const verbose = step === "resolve" || step === "plan" || step === "lock" || step === "stage";
      return {
        kind: "status",
        line: `${STEP_LINES[step] ?? step} ${str(e, "id")}`,
        verbose,
        phase: !verbose,
      };
    }
    case "provision.lock-wait":
      return {
        kind: "warning",
        line: `waiting for the lock of ${str(e, "id")}${
          e.holder ? ` (held by ${str(e, "holder")})` : ""
        }`,
      };
    case "provision.recovered":
      return {
        kind: "warning",
        line: `${str(e, "id")}: an interrupted install was ${str(e, "outcome")}`,
      };
    case "provision.done":
    case "provision.failed":
      return undefined;
  }
  return undefined;
}

function describeRun(e: Fields, type: string): EventView | undefined {
  switch (type) {
    case "run.phase": {
      const fn = str(e, "function");
      const state = str(e, "state");
      if (state === "start") {
        return { kind: "status", line: `running ${fn}()`, verbose: false, phase: true };
      }
      if (state === "skipped") return { kind: "status", line: `${fn}() skipped`, verbose: true };
      return { kind: "status", line: `${fn}() done`, verbose: true };
    }
    case "run.sandbox":
      return e.enabled === true
        ? { kind: "status", line: "recipe functions run in the bwrap sandbox", verbose: true }
        : { kind: "warning", line: `no sandbox: ${str(e, "reason") || "turned off"}` };
    case "run.output":
      return describeOutput(e);
  }
  return undefined;
}

/**
 * Whether `event` is shown even under `--quiet`: the warning that recipe
 * functions run without the sandbox (a hive must be able to tell its user).
 */
export function shownWhenQuiet(event: StageEvent): boolean {
  return event.type === "run.sandbox" && (event as unknown as Fields).enabled === false;
}

/** Describes `event` for a human; unknown events become verbose status lines. */
export function describeEvent(event: StageEvent): EventView | undefined {
  const e = event as unknown as Fields;
  const type = event.type;
  if (type.startsWith("source.")) return describeSource(e, type);
  if (type.startsWith("provision.")) return describeProvision(e, type);
  if (type.startsWith("run.")) return describeRun(e, type);
  if (type === "catalog.request") {
    return {
      kind: "status",
      line: `${str(e, "status")} ${str(e, "method")} ${str(e, "url")}`,
      verbose: true,
    };
  }
  if (type === "catalog.listening") return undefined;
  if (type.endsWith(".output")) return describeOutput(e);
  if (type.endsWith(".warning")) {
    return { kind: "warning", line: str(e, "message") || type };
  }
  const message = str(e, "message");
  const label = message || [type, str(e, "phase"), str(e, "step"), str(e, "id")]
    .filter(Boolean).join(" ");
  const start = type.endsWith(".start") || type.endsWith(".phase") || type.endsWith(".step");
  return { kind: "status", line: label, verbose: !start, phase: start };
}
