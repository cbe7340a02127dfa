/**
 * The one abortable wait: retry backoffs, lock polling and process-tree
 * sweeps all sleep through it.
 *
 * @module
 */

/**
 * Waits `ms` milliseconds, or until `signal` aborts, whichever comes first.
 * It resolves either way; a caller that must stop on abort checks the
 * signal after it (e.g. with `throwIfCancelled`).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
