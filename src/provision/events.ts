/**
 * Progress events of a provision, delivered as versioned envelopes
 * ({@link EventEnvelope}: `v`, `jobId`, `time` added to each event) that an
 * orchestrator can forward as-is (rbee's hive streams them over SSE).
 *
 * A provision emits, in order: `provision.step` {step, state: "start"} and
 * {state: "done"} around each step of the pipeline (`resolve`, `plan`,
 * `lock`, `fetch`, `extract`, `run`, `stage`, `install`, `record`), with the
 * source stage's events (`source.*`) and the runner's events (`run.*`)
 * forwarded unchanged between them; then exactly one of `provision.done` or
 * `provision.failed`. A fetch job (`fetch()`) runs `resolve`, `plan` and
 * `fetch` only, and ends with `provision.fetched` or `provision.failed`.
 *
 * @module
 */

import type { EventEnvelope } from "../events.ts";
import type { RunEvent } from "../run/events.ts";
import type { SourceEvent } from "../source/events.ts";
import type { PreflightEvent } from "../preflight/events.ts";
import type { HiveEvent } from "../hive/events.ts";
import type { WorkerBinary } from "./binary.ts";

/** The steps of the pipeline, in order. */
export const PROVISION_STEPS = [
  "resolve",
  "plan",
  "lock",
  "fetch",
  "extract",
  "run",
  "stage",
  "install",
  "record",
] as const;

/** One step of the pipeline. */
export type ProvisionStep = typeof PROVISION_STEPS[number];

/** A step starts, ends, or is skipped (e.g. everything after `lock` when already installed). */
export interface ProvisionStepEvent {
  /** Event type. */
  readonly type: "provision.step";
  /** The step. */
  readonly step: ProvisionStep;
  /** `start`, `done` or `skipped`. */
  readonly state: "start" | "done" | "skipped";
  /** The worker id (known from `plan` on; the argument before). */
  readonly id: string;
}

/** The worker's lock is held by another process: this job waits. */
export interface ProvisionLockWaitEvent {
  /** Event type. */
  readonly type: "provision.lock-wait";
  /** The worker id. */
  readonly id: string;
  /** Who holds the lock (`pid N@host since time`), when known. */
  readonly holder?: string;
}

/** An interrupted earlier transaction of this worker was finished or undone. */
export interface ProvisionRecoveredEvent {
  /** Event type. */
  readonly type: "provision.recovered";
  /** The worker id. */
  readonly id: string;
  /** `rolled-back` (the interrupted install was undone) or `rolled-forward` (it had committed). */
  readonly outcome: "rolled-back" | "rolled-forward";
}

/** The provision succeeded. */
export interface ProvisionDoneEvent {
  /** Event type. */
  readonly type: "provision.done";
  /** The installed worker. */
  readonly worker: WorkerBinary;
}

/** A fetch job succeeded: every source is in the cache and verified; nothing was built or installed. */
export interface ProvisionFetchedEvent {
  /** Event type. */
  readonly type: "provision.fetched";
  /** The worker id. */
  readonly id: string;
  /** Its full version. */
  readonly version: string;
  /** The architecture the sources were chosen for. */
  readonly arch: string;
  /** How many sources were fetched (or found in the cache) and verified. */
  readonly sources: number;
}

/** The provision failed; nothing was changed. */
export interface ProvisionFailedEvent {
  /** Event type. */
  readonly type: "provision.failed";
  /** The step that failed. */
  readonly step: ProvisionStep;
  /** The error's stable code (`CHECKSUM_MISMATCH`, ...), `UNEXPECTED` for unexpected errors. */
  readonly code: string;
  /** The CLI exit code of the failure. */
  readonly exitCode: number;
  /** The error message. */
  readonly message: string;
  /** How to fix it, when known. */
  readonly hint?: string;
}

/** The plan found something worth saying that does not stop the provision. */
export interface PlanWarningEvent {
  /** Event type. */
  readonly type: "plan.warning";
  /** The worker id. */
  readonly id: string;
  /** What, for humans (e.g. the catalog's version and the recipe's pkgver disagree). */
  readonly message: string;
}

/** The local package cache (`package_cache.ts`) was used, filled or found damaged. */
export interface ProvisionCachedEvent {
  /** Event type. */
  readonly type: "provision.cached";
  /** The worker id. */
  readonly id: string;
  /** The cache key. */
  readonly key: string;
  /**
   * `hit`: installing from the entry; `stored`: the build was kept;
   * `damaged`: the entry was discarded and the worker is built (after a
   * `hit` when staging found a file's digest differs).
   */
  readonly state: "hit" | "stored" | "damaged";
  /** Why the entry was found damaged. */
  readonly reason?: string;
}

/** Every event the provision stage itself emits. */
export type ProvisionEvent =
  | ProvisionCachedEvent
  | ProvisionStepEvent
  | ProvisionLockWaitEvent
  | ProvisionRecoveredEvent
  | ProvisionDoneEvent
  | ProvisionFetchedEvent
  | ProvisionFailedEvent
  | PlanWarningEvent;

/**
 * Every event a provision reports: its own (`provision.*`, `plan.*`) and the
 * source stage's (`source.*`), the runner's (`run.*`), preflight's
 * (`preflight.*`) and the hive registration's (`hive.*`) forwarded unchanged. A
 * tagged union on `type`: a `switch (event.type)` narrows each case to its
 * fields.
 */
export type ProvisionerEvent =
  | ProvisionEvent
  | SourceEvent
  | RunEvent
  | PreflightEvent
  | HiveEvent;

/** What a provision's `onEvent` receives: a {@link ProvisionerEvent}, enveloped. */
export type ProvisionEnvelope = EventEnvelope<ProvisionerEvent>;
