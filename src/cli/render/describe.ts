/**
 * Turns the library's typed progress events into what a human renderer
 * shows: a progress update, a line of build output, a status line, or
 * nothing. The plain and TTY renderers share it; `--json` does not (it
 * prints events as they are).
 *
 * @module
 */

import type { ProvisionEvent, ProvisionStep } from "../../provision/events.ts";
import type { RunEvent } from "../../run/events.ts";
import type { SourceEvent } from "../../source/events.ts";
import type { RenderedEvent } from "./mod.ts";
import { formatBytes } from "./format.ts";

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

function describeSource(e: SourceEvent): EventView | undefined {
  const name = e.name;
  switch (e.type) {
    case "source.start":
      return { kind: "status", line: `fetching ${name} (${e.url})`, verbose: false };
    case "source.wait":
      return {
        kind: "status",
        line: `waiting for another worker-provisioner to finish fetching ${name}`,
        verbose: false,
      };
    case "source.resume":
      return {
        kind: "status",
        line: `resuming ${name} from ${formatBytes(e.offset)} ` +
          "(an earlier run was interrupted)",
        verbose: false,
      };
    case "source.progress":
      return { kind: "progress", id: name, bytes: e.bytes, total: e.total, rate: e.rate };
    case "source.cached":
      return { kind: "status", line: `found ${name} in the cache`, verbose: true };
    case "source.verified": {
      const algos = e.algorithms.join(", ");
      return { kind: "status", line: `verified ${name} (${algos || "SKIP"})`, verbose: true };
    }
    case "source.retry":
      return { kind: "warning", line: `retrying ${name} (attempt ${e.attempt}): ${e.reason}` };
    case "source.warning":
      return { kind: "warning", line: `${name}: ${e.message}` };
    case "source.done":
      return {
        kind: "finish",
        id: name,
        line: e.fromCache ? `${name}: cached` : `fetched ${name}`,
      };
    case "source.extract":
      return {
        kind: "status",
        line: `extracting ${name} (${e.format}, ${e.tool})`,
        verbose: e.format === "symlink",
        phase: true,
      };
    default:
      return unhandled(e);
  }
}

// deno-lint-ignore no-control-regex
const ESCAPE_SEQUENCE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]/g;
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Removes ANSI escape sequences and control characters (a recipe's colours, `\r` spinners). */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}

const STEP_LINES: Readonly<Record<ProvisionStep, string>> = {
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

function describeProvision(e: ProvisionEvent): EventView | undefined {
  switch (e.type) {
    case "provision.step": {
      if (e.state !== "start") return undefined;
      const verbose = e.step === "resolve" || e.step === "plan" || e.step === "lock" ||
        e.step === "stage";
      return { kind: "status", line: `${STEP_LINES[e.step]} ${e.id}`, verbose, phase: !verbose };
    }
    case "provision.lock-wait":
      return {
        kind: "warning",
        line: `waiting for the lock of ${e.id}${e.holder ? ` (held by ${e.holder})` : ""}`,
      };
    case "provision.recovered":
      return { kind: "warning", line: `${e.id}: an interrupted install was ${e.outcome}` };
    case "provision.cached":
      return e.state === "damaged"
        ? {
          kind: "warning",
          line: `the cached package of ${e.id} is damaged (${e.reason}): discarded, building it`,
        }
        : e.state === "hit"
        ? {
          kind: "status",
          line: `${e.id}: installing the build kept in the package cache`,
          verbose: false,
        }
        : { kind: "status", line: `${e.id}: build kept in the package cache`, verbose: true };
    case "provision.done":
    case "provision.fetched":
    case "provision.failed":
      return undefined;
    case "plan.warning":
      return { kind: "warning", line: e.message };
    default:
      return unhandled(e);
  }
}

function describeRun(e: RunEvent): EventView | undefined {
  switch (e.type) {
    case "run.phase": {
      const fn = e.function;
      if (e.state === "start") {
        return { kind: "status", line: `running ${fn}()`, verbose: false, phase: true };
      }
      if (e.state === "skipped") return { kind: "status", line: `${fn}() skipped`, verbose: true };
      return { kind: "status", line: `${fn}() done`, verbose: true };
    }
    case "run.sandbox":
      return e.enabled
        ? { kind: "status", line: "recipe functions run in the bwrap sandbox", verbose: true }
        : { kind: "warning", line: `no sandbox: ${e.reason || "turned off"}` };
    case "run.output":
      return { kind: "output", line: stripControls(e.line) };
    default:
      return unhandled(e);
  }
}

/** Makes a `switch` on an event's type exhaustive: a new event type fails type checking here. */
function unhandled(event: never): undefined {
  void event;
  return undefined;
}

/**
 * Whether `event` is shown even under `--quiet`: the warning that recipe
 * functions run without the sandbox (a hive must be able to tell its user).
 */
export function shownWhenQuiet(event: RenderedEvent): boolean {
  return event.type === "run.sandbox" && !event.enabled;
}

/** Describes `event` for a human, or `undefined` when it shows nothing. */
export function describeEvent(event: RenderedEvent): EventView | undefined {
  switch (event.type) {
    case "catalog.request":
      return {
        kind: "status",
        line: `${event.status} ${event.method} ${event.url}`,
        verbose: true,
      };
    case "catalog.listening":
      return undefined;
    case "provision.step":
    case "provision.lock-wait":
    case "provision.recovered":
    case "provision.cached":
    case "provision.done":
    case "provision.fetched":
    case "provision.failed":
    case "plan.warning":
      return describeProvision(event);
    case "run.phase":
    case "run.sandbox":
    case "run.output":
      return describeRun(event);
    case "hive.warning":
      return { kind: "warning", line: event.message };
    case "hive.registered":
    case "hive.unregistered":
      return { kind: "status", line: event.message, verbose: false };
    case "preflight.passed":
      return { kind: "status", line: event.message, verbose: true };
    default:
      return describeSource(event);
  }
}
