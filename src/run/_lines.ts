/**
 * Splits a byte stream into lines as they complete, without holding more
 * than one line (at most {@link MAX_LINE_BYTES}) in memory.
 *
 * @module
 */

/** Longest line delivered whole; longer runs without a newline arrive in chunks of this size. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Reads `stream` to its end and calls `onLine` with each line's raw bytes
 * (without the newline), awaiting it when it returns a promise (backpressure).
 * A last line without a newline is delivered too. Aborting `signal` stops
 * reading (the lines read so far are still delivered).
 */
export async function forEachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (bytes: Uint8Array) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let carry: Uint8Array = new Uint8Array(0);
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const part = chunk.subarray(start, nl);
      const line = carry.length > 0 ? concat(carry, part) : part;
      carry = new Uint8Array(0);
      const pending = onLine(line);
      if (pending) await pending;
      start = nl + 1;
    }
    if (start < chunk.length) carry = concat(carry, chunk.subarray(start));
    while (carry.length >= MAX_LINE_BYTES) {
      const pending = onLine(carry.slice(0, MAX_LINE_BYTES));
      carry = carry.slice(MAX_LINE_BYTES);
      if (pending) await pending;
    }
  }
  signal?.removeEventListener("abort", onAbort);
  if (carry.length > 0) await onLine(carry);
}
