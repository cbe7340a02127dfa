/**
 * `--json`: every library event as one JSON object per line on stdout, then
 * the final result object `{"type":"result","ok":...}` last. The one-line
 * error message also goes to stderr for the human watching.
 *
 * @module
 */

import { EVENT_SCHEMA_VERSION } from "../../events.ts";
import type { ProvisionerError } from "../../errors.ts";
import { errorLine, type RenderedEvent, type Renderer, type Streams } from "./mod.ts";

/** The last line of `--json` output. */
export type JsonResult =
  | {
    /** Always `result`. */
    readonly type: "result";
    /** Schema version, as on every event line. */
    readonly v: typeof EVENT_SCHEMA_VERSION;
    /** Success. */
    readonly ok: true;
    /** The command that ran. */
    readonly command: string;
    /** The command's result value. */
    readonly result: unknown;
  }
  | {
    /** Always `result`. */
    readonly type: "result";
    /** Schema version, as on every event line. */
    readonly v: typeof EVENT_SCHEMA_VERSION;
    /** Failure. */
    readonly ok: false;
    /** The command that ran. */
    readonly command: string;
    /** What went wrong. */
    readonly error: {
      readonly code: string;
      readonly message: string;
      readonly hint?: string;
      readonly exitCode: number;
    };
  };

/** Renders JSON lines. */
export class JsonRenderer implements Renderer {
  #streams: Streams;
  /** Creates the renderer writing to `streams`. */
  constructor(streams: Streams) {
    this.#streams = streams;
  }
  /** Writes the event as one line. */
  event(event: RenderedEvent): void {
    // A job's events come enveloped (v, jobId, time); the CLI's own (catalog
    // serve) get the schema version too: every line carries `v`.
    const line = "v" in event ? event : { ...event, v: EVENT_SCHEMA_VERSION };
    this.#streams.out(`${JSON.stringify(line)}\n`);
  }
  /** Ignored: humans' status lines are not events. */
  info(_line: string): void {}
  /** Writes the final result object. */
  result(command: string, value: unknown, _text: string): void {
    const line: JsonResult = {
      type: "result",
      v: EVENT_SCHEMA_VERSION,
      ok: true,
      command,
      result: value ?? null,
    };
    this.#streams.out(`${JSON.stringify(line)}\n`);
  }
  /** Writes the final failure object, and the message on stderr. */
  error(command: string, error: ProvisionerError): void {
    const line: JsonResult = {
      type: "result",
      v: EVENT_SCHEMA_VERSION,
      ok: false,
      command,
      error: {
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
        exitCode: error.exitCode,
      },
    };
    this.#streams.out(`${JSON.stringify(line)}\n`);
    this.#streams.err(`${errorLine(error)}\n`);
  }
  /** Nothing to erase. */
  close(): void {}
}
