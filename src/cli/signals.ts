/**
 * Ctrl-C handling: the first SIGINT (or SIGTERM) aborts the running job's
 * AbortController, so the library stops its downloads and builds and cleans
 * up; the CLI then exits 130. A second SIGINT exits 130 at once.
 *
 * @module
 */

import { CancelledError, ExitCode } from "../errors.ts";

/** What {@link trapInterrupts} returns. */
export interface InterruptTrap {
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Removes the signal listeners. */
  release(): void;
}

/**
 * Installs the listeners for a job named `what`; `notify` is told when the
 * first interrupt arrives (to print "cancelling...").
 */
export function trapInterrupts(what: string, notify: (line: string) => void): InterruptTrap {
  const controller = new AbortController();
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      notify(`cancelling ${what}; press Ctrl-C again to stop at once`);
      controller.abort(new CancelledError(what));
    } else {
      Deno.exit(ExitCode.cancelled);
    }
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  return {
    signal: controller.signal,
    release: () => {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
    },
  };
}
