/**
 * Events of preflight (`preflight.*`), forwarded in a provision's event stream.
 *
 * @module
 */

/** Preflight found every requirement met (or skipped the dependencies with `nodeps`). */
export interface PreflightPassedEvent {
  /** Event type. */
  readonly type: "preflight.passed";
  /** The worker id. */
  readonly id: string;
  /** Whether the dependency check was skipped. */
  readonly nodeps: boolean;
  /** A line for humans. */
  readonly message: string;
}

/** Every preflight event. */
export type PreflightEvent = PreflightPassedEvent;
