/**
 * One provision job's event stream: step boundaries, forwarded stage events,
 * and the final `provision.done` / `provision.failed`, each wrapped in the
 * versioned envelope with the job id.
 *
 * @module
 */

import { storageErrorOf } from "./_storage.ts";
import { CancelledError, ProvisionerError, throwIfCancelled } from "../errors.ts";
import { envelope, type EventSink } from "../events.ts";
import type { RunEvent } from "../run/events.ts";
import type { SourceEvent } from "../source/events.ts";
import type { PreflightEvent } from "../preflight/events.ts";
import type { HiveEvent } from "../hive/events.ts";
import type { WorkerBinary } from "./binary.ts";
import { PermissionDeniedError } from "./errors.ts";
import {
  PROVISION_STEPS,
  type ProvisionEnvelope,
  type ProvisionerEvent,
  type ProvisionStep,
} from "./events.ts";

/**
 * A test hook: awaited at the start of each step and at the inner points of
 * {@link StepHookPoint}; a test blocks or aborts there to simulate a crash or
 * a cancellation. Not part of the public API (set with {@link setStepHook}).
 */
export type StepHook = (point: StepHookPoint) => void | Promise<void>;

/**
 * Where the test hook ({@link setStepHook}) runs: the start of each provision step, and
 * the inner points of the install and uninstall transactions (after the
 * journal is written, half the files moved, the record committed), and a
 * cold install's cache entry linked but not yet in place (`cache:storing`).
 */
export type StepHookPoint =
  | ProvisionStep
  | "install:journaled"
  | "install:applying"
  | "install:recorded"
  | "cache:storing"
  | "uninstall:journaled"
  | "uninstall:moved"
  | "uninstall:committed";

const STEP_HOOKS = new WeakMap<object, StepHook>();

/** Test hook: calls `hook` at every step of every job `provisioner` runs from now on. */
export function setStepHook(provisioner: object, hook: StepHook): void {
  STEP_HOOKS.set(provisioner, hook);
}

/** The hook set for `provisioner` with {@link setStepHook}, if any. */
export function stepHookOf(provisioner: object): StepHook | undefined {
  return STEP_HOOKS.get(provisioner);
}

/** The event side of one provision. */
export class ProvisionJob {
  /** The step running now (reported by `provision.failed`). */
  current: ProvisionStep = "resolve";
  /** The worker id: the argument until the plan names the worker. */
  id: string;
  readonly #jobId: string;
  readonly #onEvent?: EventSink<ProvisionEnvelope>;
  readonly #signal?: AbortSignal;
  readonly #hook?: StepHook;

  /** Creates the job `jobId` for `id`. */
  constructor(
    jobId: string,
    id: string,
    options: { onEvent?: EventSink<ProvisionEnvelope>; signal?: AbortSignal; hook?: StepHook },
  ) {
    this.#jobId = jobId;
    this.id = id;
    if (options.onEvent) this.#onEvent = options.onEvent;
    if (options.signal) this.#signal = options.signal;
    if (options.hook) this.#hook = options.hook;
  }

  /** Sends `event`, enveloped; a throwing sink is ignored. */
  emit(event: ProvisionerEvent): void {
    try {
      this.#onEvent?.(envelope(this.#jobId, event));
    } catch {
      // a sink must not throw; if it does, the job goes on
    }
  }

  /** The sink stage events are forwarded through, as they are. */
  readonly forward: EventSink<SourceEvent | RunEvent | PreflightEvent | HiveEvent> = (event) =>
    this.emit(event);

  /** Starts `step` (after a cancellation check and the test hook). */
  async begin(step: ProvisionStep): Promise<void> {
    this.current = step;
    throwIfCancelled(this.#signal, `Provisioning ${this.id}`);
    this.emit({ type: "provision.step", step, state: "start", id: this.id });
    await this.#hook?.(step);
  }

  /** Ends `step`. */
  end(step: ProvisionStep): void {
    this.emit({ type: "provision.step", step, state: "done", id: this.id });
  }

  /** Runs `fn` as `step`. */
  async step<T>(step: ProvisionStep, fn: () => Promise<T> | T): Promise<T> {
    await this.begin(step);
    const value = await fn();
    this.end(step);
    return value;
  }

  /** Calls the test hook at an inner point. */
  async hook(point: StepHookPoint): Promise<void> {
    await this.#hook?.(point);
  }

  /** Reports success; steps from `skipFrom` on are reported skipped (already installed). */
  done(worker: WorkerBinary, skipFrom?: ProvisionStep): WorkerBinary {
    if (skipFrom) {
      for (const step of PROVISION_STEPS.slice(PROVISION_STEPS.indexOf(skipFrom))) {
        this.emit({ type: "provision.step", step, state: "skipped", id: worker.id });
      }
    }
    this.emit({ type: "provision.done", worker });
    return worker;
  }

  /** Reports the failure and returns the error to throw (typed: cancellation, permissions). */
  failed(error: unknown): Error {
    const e = normalizeError(error, this.#signal, `Provisioning ${this.id}`);
    this.emit({
      type: "provision.failed",
      step: this.current,
      code: e instanceof ProvisionerError ? e.code : "UNEXPECTED",
      exitCode: e instanceof ProvisionerError ? e.exitCode : 1,
      message: e.message,
      ...(e instanceof ProvisionerError && e.hint ? { hint: e.hint } : {}),
    });
    return e;
  }
}

/** Maps an error to the typed error the caller gets. */
export function normalizeError(
  error: unknown,
  signal: AbortSignal | undefined,
  what: string,
): Error {
  if (error instanceof ProvisionerError) return error;
  if (signal?.aborted) return new CancelledError(what, { cause: error });
  const storage = storageErrorOf(error, "the disk");
  if (storage) return storage;
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new PermissionDeniedError((error as Error).message, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Rethrows a Deno permission error about `path` as {@link PermissionDeniedError}, and a full or read-only disk typed. */
export function mapFsError(path: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
      throw new PermissionDeniedError(path, { cause: error });
    }
    throw storageErrorOf(error, path) ?? error;
  };
}
