/**
 * A test hook for fault-injection tests of the CLI as a subprocess: when
 * the environment variable {@link PAUSE_ENV} names points (comma-separated
 * `StepHookPoint`s, e.g. `install:recorded`), the provisioner pauses there,
 * prints `paused at <point>` on stderr, and goes on after 60 s or at once
 * when SIGINT or SIGTERM arrives (which the CLI turns into a cancellation),
 * so a test can signal or kill the process at an exact transaction state.
 *
 * The compiled binary is not granted this variable, so it never pauses;
 * reading it is only attempted when the permission is granted.
 *
 * @module
 */

import type { StepHookPoint } from "../provision/_job.ts";
import { envIfGranted } from "./permissions.ts";

/** The variable naming the pause points. */
export const PAUSE_ENV = "WORKER_PROVISIONER_PAUSE_AT";

/** The step hook (`setStepHook`) for the points {@link PAUSE_ENV} names, or `undefined`. */
export function pauseHookFromEnv(): ((point: StepHookPoint) => Promise<void>) | undefined {
  const points = new Set((envIfGranted(PAUSE_ENV) ?? "").split(",").filter(Boolean));
  if (!points.size) return undefined;
  return (point) => {
    if (!points.has(point)) return Promise.resolve();
    console.error(`paused at ${point}`);
    return new Promise((resolve) => {
      const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
      const done = () => {
        clearTimeout(timer);
        for (const s of signals) Deno.removeSignalListener(s, done);
        resolve();
      };
      const timer = setTimeout(done, 60_000);
      for (const s of signals) Deno.addSignalListener(s, done);
    });
  };
}
