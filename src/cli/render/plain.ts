/**
 * Plain output for logs and pipes: append-only lines on stderr, results on
 * stdout, never a control code. Download progress is reduced to one line
 * per source at each quarter of its size.
 *
 * @module
 */

import type { ProvisionerError } from "../../errors.ts";
import { describeEvent, shownWhenQuiet, stripControls } from "./describe.ts";
import { formatBytes, formatRate } from "./format.ts";
import {
  errorLine,
  type RenderedEvent,
  type Renderer,
  type Streams,
  type Verbosity,
} from "./mod.ts";

/** Renders append-only lines. */
export class PlainRenderer implements Renderer {
  #streams: Streams;
  #verbosity: Verbosity;
  #quarters = new Map<string, number>();

  /** Creates the renderer. */
  constructor(streams: Streams, verbosity: Verbosity) {
    this.#streams = streams;
    this.#verbosity = verbosity;
  }

  #line(text: string): void {
    // Strip anything that could move a cursor: output from recipes included.
    this.#streams.err(`${stripControls(text)}\n`);
  }

  /** Prints the event as a line, when it deserves one. */
  event(event: RenderedEvent): void {
    if (this.#verbosity === "quiet" && !shownWhenQuiet(event)) return;
    const view = describeEvent(event);
    if (!view) return;
    switch (view.kind) {
      case "progress": {
        if (!view.total) return;
        const quarter = Math.floor((view.bytes / view.total) * 4);
        if (quarter <= (this.#quarters.get(view.id) ?? 0) || quarter >= 4) return;
        this.#quarters.set(view.id, quarter);
        this.#line(
          `  ${view.id}: ${quarter * 25}% of ${formatBytes(view.total)} (${formatRate(view.rate)})`,
        );
        return;
      }
      case "finish":
        this.#quarters.delete(view.id);
        return this.#line(view.line);
      case "output":
        return this.#line(`  | ${view.line}`);
      case "warning":
        return this.#line(`warning: ${view.line}`);
      case "status":
        if (view.verbose && this.#verbosity !== "verbose") return;
        return this.#line(view.line);
    }
  }

  /** Prints a status line. */
  info(line: string): void {
    if (this.#verbosity !== "quiet") this.#line(line);
  }

  /** Prints the result text on stdout, exactly as given. */
  result(_command: string, _value: unknown, text: string): void {
    if (text) this.#streams.out(text);
  }

  /** Prints the one-line error on stderr. */
  error(_command: string, error: ProvisionerError): void {
    this.#line(errorLine(error));
  }

  /** Nothing to erase. */
  close(): void {}
}
