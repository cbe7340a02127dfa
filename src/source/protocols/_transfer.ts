/**
 * The HTTP transfer engine: streams one URL into a `.part` file while hashing
 * it, resuming with `Range` + `If-Range` after a failed attempt, restarting
 * cleanly when the server ignores (200) or rejects (416) the range, and
 * retrying resets, 5xx, truncations, connect and idle timeouts with bounded
 * exponential backoff and jitter, as long as some byte arrived within the
 * stall deadline. Redirects are followed by hand so they are counted, loops
 * detected, and only http(s) to http(s) without a downgrade from https to
 * http is followed (`redirect_policy.ts`). A failure to connect is named:
 * DNS, refused, TLS (`network_failure.ts`).
 *
 * @module
 */

import { CancelledError } from "../../errors.ts";
import type { EventSink } from "../../events.ts";
import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import { DownloadFailedError, DownloadStalledError, NetworkError } from "../errors.ts";
import { emit, type SourceEvent } from "../events.ts";
import { MultiHasher } from "../integrity.ts";
import { dirname } from "node:path";
import { ReceiveRing } from "./_receive_ring.ts";
import { sleep } from "../../_sleep.ts";
import { assertFreeSpace } from "./free_space.ts";
import { IdleWatchdog, ProgressReporter } from "./_transfer_watch.ts";
import { classifyConnectFailure, type ConnectFailure } from "./network_failure.ts";
import { checkRedirect } from "./redirect_policy.ts";

/** Retry and timeout policy of a transfer. */
export interface TransferPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Base of the exponential backoff, in ms. */
  readonly retryDelayMs: number;
  /** Upper bound of one backoff delay, in ms. */
  readonly maxRetryDelayMs: number;
  /** Time allowed until response headers arrive, in ms. */
  readonly connectTimeoutMs: number;
  /** Time allowed without a single body byte, in ms. */
  readonly idleTimeoutMs: number;
  /** Redirects followed before giving up. */
  readonly maxRedirects: number;
  /**
   * The longest time a source may go without progress (a byte beyond the
   * furthest offset reached), across every attempt and backoff; so a large
   * file that keeps flowing is never cut, and a server that restarts or
   * trickles then stalls is. In ms.
   */
  readonly stallDeadlineMs: number;
}

/** What {@link transfer} needs. */
export interface TransferRequest {
  /** The URL to fetch. */
  readonly url: string;
  /** The source's file name, for events. */
  readonly name: string;
  /** The `.part` file to write (created or resumed). */
  readonly partPath: string;
  /** Algorithms to compute while the bytes flow. */
  readonly algorithms: readonly HashAlgorithm[];
  /** Resume state from an earlier run: the `.part` already holds `offset` bytes. */
  readonly resume?: { readonly offset: number; readonly validator: string };
  /** The policy. */
  readonly policy: TransferPolicy;
  /** Returns the HTTP client (proxy) to use for a URL, or undefined for the default. */
  readonly clientFor: (url: URL) => Deno.HttpClient | undefined;
  /** Called with the resume validator as soon as it is known, to persist it. */
  readonly onValidator?: (validator: string | undefined) => Promise<void>;
  /** Cancels the transfer. */
  readonly signal?: AbortSignal;
  /** Receives progress and retry events. */
  readonly onEvent?: EventSink<SourceEvent>;
}

/** The outcome of a complete transfer. */
export interface TransferResult {
  /** The checksums of the whole file. */
  readonly digests: Partial<Record<HashAlgorithm, string>>;
  /** Its size in bytes. */
  readonly bytes: number;
}

/** A failure that another attempt may cure; `connect` says why a connection failed. */
class RetryableError extends Error {
  constructor(message: string, readonly connect?: ConnectFailure) {
    super(message);
  }
}

interface TransferState {
  offset: number;
  validator: string | undefined;
  hasher: MultiHasher;
  /** The furthest offset any attempt reached: bytes re-sent after a restart are not progress. */
  highWater: number;
  /** When `highWater` last grew (or the transfer started), from `performance.now()`. */
  lastProgress: number;
}

/**
 * Downloads `request.url` into `request.partPath`; throws DownloadFailedError,
 * DownloadStalledError, NetworkError, RedirectRefusedError, InsufficientSpaceError
 * or CancelledError.
 */
export async function transfer(
  request: TransferRequest,
  hasher: MultiHasher,
): Promise<TransferResult> {
  const state: TransferState = {
    offset: request.resume?.offset ?? 0,
    validator: request.resume?.validator,
    hasher,
    highWater: request.resume?.offset ?? 0,
    lastProgress: performance.now(),
  };
  return await transferWithRetries(request, state);
}

async function transferWithRetries(
  request: TransferRequest,
  state: TransferState,
): Promise<TransferResult> {
  const { policy, signal } = request;
  for (let attempt = 1;; attempt++) {
    checkCancelled(signal, request.url);
    try {
      await attemptTransfer(request, state);
      return { digests: state.hasher.digest(), bytes: state.offset };
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`Download of ${request.url}`, { cause: error });
      if (!(error instanceof RetryableError)) throw error;
      const delayMs = backoffDelay(policy, attempt);
      const outOfTime = performance.now() - state.lastProgress + delayMs >= policy.stallDeadlineMs;
      if (attempt > policy.retries || outOfTime) {
        throw finalError(request.url, error, attempt, outOfTime, policy);
      }
      emit(request.onEvent, {
        type: "source.retry",
        name: request.name,
        attempt,
        reason: error.message,
        delayMs,
      });
      await sleep(delayMs, signal);
      checkCancelled(signal, request.url);
    }
  }
}

/** The typed error once no attempt is left: named connect failure, stall, or the last reason. */
function finalError(
  url: string,
  error: RetryableError,
  attempts: number,
  stalled: boolean,
  policy: TransferPolicy,
): Error {
  const reason = `${error.message} (after ${attempts} attempts)`;
  const connect = error.connect;
  if (connect && connect.kind !== "other") {
    return new NetworkError(url, connect.kind, connect.detail, { cause: error });
  }
  if (stalled) {
    const last = `${attempts} attempts, the last: ${error.message}`;
    return new DownloadStalledError(url, policy.stallDeadlineMs, last, { cause: error });
  }
  return new DownloadFailedError(url, reason, { cause: error });
}

function backoffDelay(policy: TransferPolicy, attempt: number): number {
  const exponential = Math.min(policy.maxRetryDelayMs, policy.retryDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

function checkCancelled(signal: AbortSignal | undefined, url: string): void {
  if (signal?.aborted) throw new CancelledError(`Download of ${url}`, { cause: signal.reason });
}

/** One attempt: resolve redirects, open the `.part`, stream the body. */
async function attemptTransfer(request: TransferRequest, state: TransferState): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await openResponse(request, state, controller);
    await receiveBody(request, state, response, controller);
  } finally {
    request.signal?.removeEventListener("abort", onAbort);
    controller.abort();
  }
}

/** Sends the request (following redirects) and settles the resume state from the status. */
async function openResponse(
  request: TransferRequest,
  state: TransferState,
  controller: AbortController,
): Promise<Response> {
  const { policy } = request;
  const seen = new Set<string>();
  let url = new URL(request.url);
  for (let hops = 0;; hops++) {
    seen.add(url.href);
    const response = await fetchWithTimeout(request, url, state, controller);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = checkRedirect(request.url, url, location);
      if (seen.has(next.href)) {
        throw new DownloadFailedError(request.url, `redirect loop at ${next.href}`);
      }
      if (hops + 1 > policy.maxRedirects) {
        throw new DownloadFailedError(request.url, `more than ${policy.maxRedirects} redirects`);
      }
      url = next;
      continue;
    }
    return await settleStatus(request, state, response);
  }
}

async function fetchWithTimeout(
  request: TransferRequest,
  url: URL,
  state: TransferState,
  controller: AbortController,
): Promise<Response> {
  const headers = new Headers({ "accept-encoding": "identity" });
  if (state.offset > 0 && state.validator !== undefined) {
    headers.set("range", `bytes=${state.offset}-`);
    headers.set("if-range", state.validator);
  }
  let timedOut = false;
  const timeoutMs = Math.max(
    1,
    Math.min(request.policy.connectTimeoutMs, remainingMs(request, state)),
  );
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("connect timeout"));
  }, timeoutMs);
  try {
    const client = request.clientFor(url);
    return await fetch(url, {
      headers,
      redirect: "manual",
      signal: controller.signal,
      ...(client ? { client } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    if (timedOut) throw new RetryableError(`no response within ${timeoutMs} ms`);
    const failure = classifyConnectFailure(error);
    if (failure.permanent) {
      throw new NetworkError(request.url, failure.kind as "dns" | "tls", failure.detail, {
        cause: error,
      });
    }
    throw new RetryableError(`connection failed: ${failure.detail}`, failure);
  } finally {
    clearTimeout(timer);
  }
}

/** Applies the status: 206 resumes, 200 restarts, 416 restarts, 5xx retries, others fail. */
async function settleStatus(
  request: TransferRequest,
  state: TransferState,
  response: Response,
): Promise<Response> {
  const status = response.status;
  if (status === 206 && state.offset > 0) {
    const start = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "")?.[1];
    if (start !== undefined && Number(start) === state.offset) return response;
    await response.body?.cancel();
    await restart(request, state);
    throw new RetryableError(`server resumed at the wrong offset (${start ?? "none"})`);
  }
  if (status === 200) {
    if (state.offset > 0) await restart(request, state);
    state.validator = validatorOf(response.headers);
    await request.onValidator?.(state.validator);
    return response;
  }
  await response.body?.cancel();
  if (status === 416) {
    await restart(request, state);
    throw new RetryableError("server refused the range (416); restarting from zero");
  }
  if (status >= 500 || status === 408 || status === 429) {
    throw new RetryableError(`server answered ${status}`);
  }
  throw new DownloadFailedError(request.url, `server answered ${status} ${response.statusText}`);
}

/** Empties the `.part` and the hash state: the next bytes start the file. */
async function restart(request: TransferRequest, state: TransferState): Promise<void> {
  await Deno.writeFile(request.partPath, new Uint8Array());
  state.offset = 0;
  state.validator = undefined;
  state.hasher = new MultiHasher(request.algorithms);
}

/** A strong ETag, else Last-Modified: what `If-Range` may carry. */
function validatorOf(headers: Headers): string | undefined {
  const etag = headers.get("etag");
  if (etag !== null && !etag.startsWith("W/")) return etag;
  return headers.get("last-modified") ?? undefined;
}

/** Streams the body into the `.part`, hashing as it goes; truncation and stalls are retryable. */
async function receiveBody(
  request: TransferRequest,
  state: TransferState,
  response: Response,
  controller: AbortController,
): Promise<void> {
  // A body the client decodes (Content-Encoding) is longer than its Content-Length: ignore it then.
  const encoding = response.headers.get("content-encoding");
  const length = encoding && encoding !== "identity"
    ? null
    : response.headers.get("content-length");
  const expected = length === null ? undefined : Number(length);
  const total = expected === undefined ? undefined : state.offset + expected;
  await assertFreeSpace(dirname(request.partPath), expected, `the download of ${request.name}`);
  using file = await Deno.open(request.partPath, { write: true, create: true, append: true });
  const ring = new ReceiveRing(file);
  const progress = new ProgressReporter(request, state, total);
  const watchdog = new IdleWatchdog(
    request.policy.idleTimeoutMs,
    controller,
    () => remainingMs(request, state) <= 0,
  );
  // A BYOB reader into the ring's buffers: the client reads straight into them (no chunk allocated
  // and no copy per read), which keeps the CPU and peak RSS of a large download low
  // (bench/fetch_bench.ts).
  const reader = response.body!.getReader({ mode: "byob" });
  try {
    while (true) {
      const buffer = await ring.take();
      const chunk = await readChunk(request, state, reader, buffer, watchdog);
      if (chunk.done) break;
      watchdog.touch();
      await ring.commit(chunk.value, state.hasher);
      state.offset += chunk.value.length;
      if (state.offset > state.highWater) {
        state.highWater = state.offset;
        state.lastProgress = performance.now();
      }
      progress.add(chunk.value.length);
    }
  } finally {
    watchdog.stop();
    await ring.flush(state.hasher);
    progress.report();
  }
  if (expected !== undefined && progress.received < expected) {
    throw new RetryableError(`transfer truncated at ${state.offset} of ${total} bytes`);
  }
  if (expected !== undefined && progress.received > expected) {
    await restart(request, state);
    throw new RetryableError(`server sent more than its Content-Length`);
  }
}

/** Reads the next chunk into `buffer`; a broken or idle connection is retryable. */
async function readChunk(
  request: TransferRequest,
  state: TransferState,
  reader: ReadableStreamBYOBReader,
  buffer: Uint8Array,
  watchdog: IdleWatchdog,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read(buffer);
  } catch (error) {
    if (request.signal?.aborted) throw error;
    if (watchdog.fired) {
      const idle = Math.round(performance.now() - watchdog.lastTouch);
      throw new RetryableError(`no data for ${Math.min(idle, request.policy.idleTimeoutMs)} ms`);
    }
    throw new RetryableError(`connection broke after ${state.offset} bytes: ${errorText(error)}`);
  }
}

/** How long the source may still go without a byte before its stall deadline. */
function remainingMs(request: TransferRequest, state: TransferState): number {
  return request.policy.stallDeadlineMs - (performance.now() - state.lastProgress);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
