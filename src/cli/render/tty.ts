/**
 * The live terminal display on stderr: one progress bar per running download
 * (bytes, total, rate, ETA) and a status line for the current phase
 * (extraction, build, install), with build output and messages printed above
 * them. Everything drawn is erased before the command's result is printed.
 *
 * @module
 */

import type { ProvisionerError } from "../../errors.ts";
import { describeEvent, shownWhenQuiet } from "./describe.ts";
import { formatBytes, formatDuration, formatElapsed, formatRate } from "./format.ts";
import {
  errorLine,
  type RenderedEvent,
  type Renderer,
  type Streams,
  type Verbosity,
} from "./mod.ts";

interface Bar {
  bytes: number;
  total?: number;
  rate: number;
  started: number;
}

const REDRAW_MS = 80;
const BAR_WIDTH = 24;

/** The bar's parts, longest layout first: what a narrow terminal drops first comes last. */
function barLayouts(bar: Bar): string[][] {
  if (!bar.total) return [[formatBytes(bar.bytes), formatRate(bar.rate)], [formatBytes(bar.bytes)]];
  const ratio = Math.min(1, bar.bytes / bar.total);
  const gauge = (width: number) => {
    const filled = Math.round(ratio * width);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  };
  const percent = `${String(Math.floor(ratio * 100)).padStart(3)}%`;
  const size = `${formatBytes(bar.bytes)}/${formatBytes(bar.total)}`;
  const rate = formatRate(bar.rate);
  const eta = bar.rate > 0 ? [`ETA ${formatDuration((bar.total - bar.bytes) / bar.rate)}`] : [];
  return [
    [gauge(BAR_WIDTH), percent, size, rate, ...eta],
    [gauge(BAR_WIDTH), percent, size, rate],
    [gauge(BAR_WIDTH), percent, size],
    [gauge(BAR_WIDTH / 2), percent, size],
    [percent, size],
  ];
}

/**
 * Builds the text of one progress bar line for a terminal `width` columns
 * wide (exported for tests). What matters is never cut: the name (shortened
 * with `~` only below 24 columns of room), the percentage and the size; the
 * ETA, then the rate, then the gauge's width give way first.
 */
export function barLine(name: string, bar: Bar, width: number): string {
  const layouts = barLayouts(bar);
  const wanted = Math.min(name.length, 24);
  const tail = layouts.find((parts) => width - parts.join("  ").length - 5 >= wanted)
    ?.join("  ") ?? layouts.at(-1)!.join("  ");
  const room = Math.max(8, width - tail.length - 5);
  const label = name.length > room ? `${name.slice(0, room - 1)}~` : name.padEnd(room);
  return `  ${label}  ${tail}`.slice(0, width - 1);
}

/** Renders bars and a status line with ANSI cursor control. */
export class TtyRenderer implements Renderer {
  #streams: Streams;
  #verbosity: Verbosity;
  #bars = new Map<string, Bar>();
  #phase: { line: string; started: number } | undefined;
  #drawn = 0;
  #lastDraw = 0;
  #width: number;
  #ticker: ReturnType<typeof setInterval> | undefined;

  /** Creates the renderer; `columns` defaults to the terminal's width. */
  constructor(streams: Streams, verbosity: Verbosity, columns?: number) {
    this.#streams = streams;
    this.#verbosity = verbosity;
    this.#width = columns ?? terminalColumns();
  }

  #erase(): string {
    if (!this.#drawn) return "";
    const text = `\r\x1b[${this.#drawn}A\x1b[J`;
    this.#drawn = 0;
    return text;
  }

  #frame(): string {
    const lines: string[] = [];
    for (const [name, bar] of this.#bars) lines.push(barLine(name, bar, this.#width));
    if (this.#phase) {
      const elapsed = formatElapsed(Date.now() - this.#phase.started);
      lines.push(`> ${this.#phase.line} (${elapsed})`.slice(0, this.#width - 1));
    }
    this.#drawn = lines.length;
    this.#lastDraw = Date.now();
    return lines.map((l) => `${l}\x1b[K\n`).join("");
  }

  /** Erases the display, prints `lines` above it and redraws it, in one write. */
  #print(lines: readonly string[]): void {
    const body = lines.map((l) => `${l}\n`).join("");
    const erase = this.#erase();
    this.#streams.err(erase + body + this.#frame());
  }

  #redraw(force: boolean): void {
    if (!force && Date.now() - this.#lastDraw < REDRAW_MS) return;
    this.#print([]);
  }

  /** Updates bars and status, or prints a line above them. */
  event(event: RenderedEvent): void {
    if (this.#verbosity === "quiet" && !shownWhenQuiet(event)) return;
    const view = describeEvent(event);
    if (!view) return;
    switch (view.kind) {
      case "progress": {
        const bar = this.#bars.get(view.id);
        const isNew = !bar;
        this.#bars.set(view.id, {
          bytes: view.bytes,
          total: view.total,
          rate: view.rate,
          started: bar?.started ?? Date.now(),
        });
        return this.#redraw(isNew);
      }
      case "finish": {
        const bar = this.#bars.get(view.id);
        this.#bars.delete(view.id);
        const detail = bar
          ? ` (${formatBytes(bar.bytes)} in ${formatElapsed(Date.now() - bar.started)})`
          : "";
        return this.#print([`${view.line}${detail}`]);
      }
      case "output":
        return this.#print([`  | ${view.line}`]);
      case "warning":
        return this.#print([`warning: ${view.line}`]);
      case "status":
        if (view.verbose && this.#verbosity !== "verbose") return;
        if (view.phase) {
          this.#phase = { line: view.line, started: Date.now() };
          this.#startTicker();
        }
        return this.#print([view.line]);
    }
  }

  /** Prints a status line above the display. */
  info(line: string): void {
    if (this.#verbosity !== "quiet") this.#print([line]);
  }

  /** Erases the display and prints the result on stdout. */
  result(_command: string, _value: unknown, text: string): void {
    this.close();
    if (text) this.#streams.out(text);
  }

  /** Erases the display and prints the one-line error. */
  error(_command: string, error: ProvisionerError): void {
    this.close();
    this.#streams.err(`${errorLine(error)}\n`);
  }

  /** Redraws twice a second while a phase runs, so its elapsed time moves. */
  #startTicker(): void {
    if (this.#ticker !== undefined) return;
    const ticker = setInterval(() => this.#redraw(true), 500);
    Deno.unrefTimer(ticker);
    this.#ticker = ticker;
  }

  /** Erases everything drawn; the terminal is left as before the bars. */
  close(): void {
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#bars.clear();
    this.#phase = undefined;
    const erase = this.#erase();
    if (erase) this.#streams.err(erase);
  }
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}
