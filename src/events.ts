/**
 * Progress events: the typed stream every long step reports through.
 *
 * Each stage defines its own event types next to its code (source events in
 * `src/source/`, runner events in `src/run/`, ...), each an object with a
 * `type` string of the form `<stage>.<what>`. Stages report them through an
 * {@link EventSink}; the provisioner wraps each in an {@link EventEnvelope}
 * (schema version, job id, time) before handing it to its caller, which can
 * forward envelopes as-is (rbee's hive streams them over SSE).
 *
 * @module
 */

/** Version of the event schema; bumped when an event changes incompatibly. */
export const EVENT_SCHEMA_VERSION = 1;

/** The minimum shape of a stage event. */
export interface StageEvent {
  /** Dotted event type, e.g. `source.progress` or `run.output`. */
  readonly type: string;
}

/** A callback that receives a stage's events; it must not throw. */
export type EventSink<E extends StageEvent = StageEvent> = (event: E) => void;

/** A stage event as the provisioner hands it out. */
export type EventEnvelope<E extends StageEvent = StageEvent> = E & {
  /** Schema version, {@link EVENT_SCHEMA_VERSION}. */
  readonly v: typeof EVENT_SCHEMA_VERSION;
  /** The job this event belongs to. */
  readonly jobId: string;
  /** When the event happened, as milliseconds since the Unix epoch. */
  readonly time: number;
};

/** Wraps a stage event into an {@link EventEnvelope} for `jobId`. */
export function envelope<E extends StageEvent>(
  jobId: string,
  event: E,
  time: number = Date.now(),
): EventEnvelope<E> {
  return { ...event, v: EVENT_SCHEMA_VERSION, jobId, time };
}
