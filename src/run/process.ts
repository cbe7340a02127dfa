/**
 * Runs one process with stdin closed, streams its stdout and stderr line by
 * line as they are written (both pipes drained concurrently, so no amount of
 * output can deadlock it), and stops its whole process tree on cancellation
 * or timeout before returning.
 *
 * @module
 */

import { forEachLine } from "./_lines.ts";
import { killProcessTree } from "./process_tree.ts";

/** Which output stream a line came from. */
export type OutputStream = "stdout" | "stderr";

/** Options of {@link runProcess}. */
export interface ProcessOptions {
  /** The program. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** The complete environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory. */
  readonly cwd: string;
  /** Called for each complete line, in the order each stream delivers them; may return a promise. */
  readonly onLine: (stream: OutputStream, line: string, raw: Uint8Array) => void | Promise<void>;
  /** Stops the process tree when aborted. */
  readonly signal?: AbortSignal;
  /** Stops the process tree after this many milliseconds. @default no limit */
  readonly timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping. @default 2000 */
  readonly killGraceMs?: number;
}

/** How a process ended. */
export interface ProcessOutcome {
  /** `exited` on its own, or stopped because it was `cancelled` or `timeout`. */
  readonly ended: "exited" | "cancelled" | "timeout";
  /** Exit status (128 + n when killed by signal n). */
  readonly exitCode: number;
  /** The signal that killed it, if any. */
  readonly signal: Deno.Signal | null;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

const LEFTOVER_STREAM_WAIT_MS = 1000;

/**
 * Runs the process to its end, cancellation or timeout. Before it resolves,
 * every process of its tree is gone (including background children left
 * behind after a normal exit) and every line has been delivered.
 */
export async function runProcess(options: ProcessOptions): Promise<ProcessOutcome> {
  const started = performance.now();
  const child = new Deno.Command(options.command, {
    args: [...options.args],
    env: { ...options.env },
    clearEnv: true,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const graceMs = options.killGraceMs ?? 2000;
  let stopped: "cancelled" | "timeout" | undefined;
  let killing: Promise<unknown> | undefined;
  const stop = (why: "cancelled" | "timeout") => {
    if (killing) return;
    stopped = why;
    killing = killProcessTree(child.pid, { graceMs });
  };
  const onAbort = () => stop("cancelled");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const timer = options.timeoutMs === undefined
    ? undefined
    : setTimeout(() => stop("timeout"), options.timeoutMs);
  const decoder = new TextDecoder();
  const stopReading = new AbortController();
  const pump = (stream: ReadableStream<Uint8Array>, name: OutputStream) =>
    forEachLine(
      stream,
      (raw) => options.onLine(name, decoder.decode(raw), raw),
      stopReading.signal,
    );
  const readers = Promise.all([pump(child.stdout, "stdout"), pump(child.stderr, "stderr")]);
  try {
    const status = await child.status;
    // Background children the function left behind do not outlive it.
    killing ??= killProcessTree(child.pid, { graceMs });
    await killing;
    await drain(readers, stopReading);
    return {
      ended: stopped ?? "exited",
      exitCode: status.code,
      signal: status.signal,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** Waits for the readers; if an escaped process still holds a pipe open, stops reading. */
async function drain(readers: Promise<unknown>, stopReading: AbortController): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), LEFTOVER_STREAM_WAIT_MS);
  });
  const first = await Promise.race([readers.then(() => "done" as const), late]);
  clearTimeout(timer);
  if (first === "late") {
    stopReading.abort();
    await readers.catch(() => {});
  }
}
