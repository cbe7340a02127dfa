/**
 * The renderer interface the commands report through, and the choice of
 * renderer: JSON lines (`--json`), a live terminal display (stderr is a TTY
 * and `NO_COLOR` is unset), or plain append-only lines.
 *
 * @module
 */

import type { ProvisionerError } from "../../errors.ts";
import type { ProvisionerEvent } from "../../provision/events.ts";

/** `catalog serve` answered a request. */
export interface CatalogRequestEvent {
  /** Event type. */
  readonly type: "catalog.request";
  /** The request's method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
  /** The status of the answer. */
  readonly status: number;
}

/** `catalog serve` is listening. */
export interface CatalogListeningEvent {
  /** Event type. */
  readonly type: "catalog.listening";
  /** The base URL it serves at. */
  readonly url: string;
  /** The catalog directory served. */
  readonly dir: string;
}

/** Every event a renderer shows: a provision's (enveloped or not) and `catalog serve`'s own. */
export type RenderedEvent = ProvisionerEvent | CatalogRequestEvent | CatalogListeningEvent;

/** How much a human renderer prints. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** Where a command's progress and results go. */
export interface Renderer {
  /** A library progress event. */
  event(event: RenderedEvent): void;
  /** A status line of the CLI itself (not shown by `--json` or `--quiet`). */
  info(line: string): void;
  /** The command's result: `value` for `--json`, `text` (printed as is) for humans. */
  result(command: string, value: unknown, text: string): void;
  /** The command failed with `error`. */
  error(command: string, error: ProvisionerError): void;
  /** Removes anything still drawn (bars); called once at the end. */
  close(): void;
}

/** The byte sink the renderers write to (stdout and stderr by default). */
export interface Streams {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
}

const encoder = new TextEncoder();

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length) bytes = bytes.subarray(file.writeSync(bytes));
}

/** {@link Streams} over Deno.stdout and Deno.stderr (synchronous, so order is kept). */
export const denoStreams: Streams = {
  out: (text) => writeAll(Deno.stdout, text),
  err: (text) => writeAll(Deno.stderr, text),
};

/** The one-line message of `error` for humans: message, then the hint. */
export function errorLine(error: ProvisionerError): string {
  return `error: ${error.message}${error.hint ? `; ${error.hint}` : ""}`;
}

/** Options of {@link createRenderer}. */
export interface RendererOptions {
  /** `--json`. */
  readonly json: boolean;
  /** How much to print. */
  readonly verbosity: Verbosity;
  /** Draw bars (stderr is a terminal and NO_COLOR is unset). */
  readonly tty: boolean;
  /** Where to write. @default denoStreams */
  readonly streams?: Streams;
}

/** Picks the renderer for `options`; imports only the one used. */
export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const streams = options.streams ?? denoStreams;
  if (options.json) {
    const { JsonRenderer } = await import("./json.ts");
    return new JsonRenderer(streams);
  }
  if (options.tty) {
    const { TtyRenderer } = await import("./tty.ts");
    return new TtyRenderer(streams, options.verbosity);
  }
  const { PlainRenderer } = await import("./plain.ts");
  return new PlainRenderer(streams, options.verbosity);
}
