/**
 * Progress events of the build runner (`run.*`), delivered through the
 * `onEvent` sink of {@link import("./run.ts").RunOptions}.
 *
 * @module
 */

/** The recipe phases the runner knows, in the order makepkg runs them. */
export type RunPhase = "prepare" | "pkgver" | "build" | "check" | "package";

/** A phase started, ended (successfully) or was skipped. */
export interface RunPhaseEvent {
  /** Event type. */
  readonly type: "run.phase";
  /** The phase. */
  readonly phase: RunPhase;
  /** The PKGBUILD function of the phase, e.g. `build` or `package_foo`. */
  readonly function: string;
  /** `start` before the function runs, `end` after it succeeded, `skipped` when it does not run. */
  readonly state: "start" | "end" | "skipped";
  /** Exit status of the function's process; set when `state` is `end`. */
  readonly exitCode?: number;
  /** Wall time of the function in milliseconds; set when `state` is `end`. */
  readonly durationMs?: number;
  /** Why the phase was skipped; set when `state` is `skipped`. */
  readonly reason?: string;
}

/** One line a recipe function wrote, as soon as it is complete. */
export interface RunOutputEvent {
  /** Event type. */
  readonly type: "run.output";
  /** The phase that wrote it. */
  readonly phase: RunPhase;
  /** The stream it was written to; nothing is guessed from the text. */
  readonly stream: "stdout" | "stderr";
  /** The line without its newline (very long lines arrive in chunks of 64 KiB). */
  readonly line: string;
}

/** Whether the recipe functions run inside the bubblewrap sandbox. */
export interface RunSandboxEvent {
  /** Event type. */
  readonly type: "run.sandbox";
  /** `true` when the functions run inside bwrap. */
  readonly enabled: boolean;
  /** Why the sandbox is off (turned off by the caller, or bwrap unavailable and why). */
  readonly reason?: string;
}

/** Every event the build runner reports. */
export type RunEvent = RunPhaseEvent | RunOutputEvent | RunSandboxEvent;
