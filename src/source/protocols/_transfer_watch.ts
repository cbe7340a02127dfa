/**
 * The watchers of one HTTP transfer attempt: an idle watchdog that aborts it
 * when no byte arrives (or the stall deadline passes), and the throttled
 * `source.progress` reporter.
 *
 * @module
 */

import type { EventSink } from "../../events.ts";
import { emit, type SourceEvent } from "../events.ts";

/**
 * Aborts `controller` when `touch()` was not called for `timeoutMs`, or when
 * `expired()` says the stall deadline passed (checked 4 times per period).
 */
export class IdleWatchdog {
  /** Whether it aborted the attempt. */
  fired = false;
  /** When a byte last arrived, from `performance.now()`. */
  lastTouch = performance.now();
  readonly #timer: ReturnType<typeof setInterval>;

  /** Watches for `timeoutMs` of silence; aborts `controller`. */
  constructor(timeoutMs: number, controller: AbortController, expired: () => boolean) {
    this.#timer = setInterval(() => {
      if (performance.now() - this.lastTouch < timeoutMs && !expired()) return;
      this.fired = true;
      this.stop();
      controller.abort(new Error("idle timeout"));
    }, Math.max(10, timeoutMs / 4));
  }

  /** Records that a byte arrived. */
  touch(): void {
    this.lastTouch = performance.now();
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Emits `source.progress` at most every 100 ms, and on `report()`. */
export class ProgressReporter {
  /** Bytes received in this attempt. */
  received = 0;
  readonly #started = performance.now();
  #lastEvent = 0;
  #lastBytes = -1;

  /** Reports for `request`, whose file holds `state.offset` bytes of `total`. */
  constructor(
    readonly request: { readonly name: string; readonly onEvent?: EventSink<SourceEvent> },
    readonly state: { readonly offset: number },
    readonly total: number | undefined,
  ) {}

  /** Counts `bytes` more, emitting an event when 100 ms have passed. */
  add(bytes: number): void {
    this.received += bytes;
    const now = performance.now();
    if (now - this.#lastEvent >= 100) {
      this.#lastEvent = now;
      this.report();
    }
  }

  /** Emits a `source.progress` event now. */
  report(): void {
    // One event per position: the final report after a timed one at 100% is not repeated.
    if (this.state.offset === this.#lastBytes) return;
    this.#lastBytes = this.state.offset;
    const seconds = Math.max((performance.now() - this.#started) / 1000, 1e-3);
    emit(this.request.onEvent, {
      type: "source.progress",
      name: this.request.name,
      bytes: this.state.offset,
      ...(this.total !== undefined ? { total: this.total } : {}),
      rate: Math.round(this.received / seconds),
    });
  }
}
