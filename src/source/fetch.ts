/**
 * `fetchSources`: brings every source of a plan into the cache (or finds it
 * there), verified, with bounded parallelism. Proxy settings, timeouts and
 * retries come from the caller: library code never reads the environment.
 *
 * @module
 */

import { CancelledError } from "../errors.ts";
import type { EventSink } from "../events.ts";
import { emit, type SourceEvent } from "./events.ts";
import { assertPlanValid, type SourcePlan } from "./plan.ts";
import type { TransferPolicy } from "./protocols/_transfer.ts";
import type { DownloadContext, FetchedSource } from "./protocols/protocol.ts";
import { protocolHandler } from "./protocols/registry.ts";
import { isSignedSource } from "../signature/names.ts";

export type { FetchedSource } from "./protocols/protocol.ts";

/** Proxy settings, as the CLI reads them from `http_proxy`, `https_proxy` and `no_proxy`. */
export interface ProxyOptions {
  /** Proxy URL for `http://` sources. */
  http?: string;
  /** Proxy URL for `https://` sources. */
  https?: string;
  /** Comma-separated hosts (or `.domain` suffixes, or `*`) reached directly. */
  noProxy?: string;
}

/** Options of {@link fetchSources}. */
export interface FetchOptions {
  /** The cache root (content-keyed files, git mirrors). */
  cacheDir: string;
  /** The directory holding the PKGBUILD and its local sources. @default "." (the current directory) */
  recipeDir?: string;
  /** Cancels every download; partial files of this run are deleted. */
  signal?: AbortSignal;
  /** Receives progress events. */
  onEvent?: EventSink<SourceEvent>;
  /** Sources downloaded at once. @default 4 */
  concurrency?: number;
  /** Retries after a failed attempt of one download. @default 5 */
  retries?: number;
  /** Base delay of the exponential retry backoff, in ms. @default 500 */
  retryDelayMs?: number;
  /** Upper bound of one retry delay, in ms. @default 10000 */
  maxRetryDelayMs?: number;
  /** Time allowed until a server's response headers arrive, in ms. @default 15000 */
  connectTimeoutMs?: number;
  /** Time one attempt may go without receiving a byte before it is retried, in ms. @default 15000 */
  idleTimeoutMs?: number;
  /**
   * The longest a source may go without progress (a byte beyond the furthest
   * offset reached), across all attempts and backoffs, before it fails with
   * `DOWNLOAD_STALLED`; a slow but flowing download is never cut. In ms.
   * @default 45000
   */
  stallDeadlineMs?: number;
  /** Redirects followed before giving up. @default 10 */
  maxRedirects?: number;
  /** Proxies to use; none when absent. */
  proxy?: ProxyOptions;
  /** Use only the cache and the recipe directory; fail for anything else. @default false */
  offline?: boolean;
  /**
   * Verify pinned files found in the cache before trusting them: `true`
   * trusts the digests recorded when the file was last hashed while its size,
   * mtime, inode and device are unchanged (re-hashing otherwise), `"deep"`
   * always re-hashes, `false` trusts the cache. @default true
   */
  verifyCache?: boolean | "deep";
  /** The worker (id) these sources are fetched for, recorded next to each cache file for `cache list`. @default none */
  usedBy?: string;
  /**
   * Whether `file://` sources (plain or `git+file://`) may read this
   * machine's disk; set it to false for a recipe from a remote catalog (the
   * provisioner does). @default true
   */
  allowFileUrls?: boolean;
  /** The OpenPGP keyring directory source signatures are checked against (`src/signature/`). @default none: every signer is an unknown key */
  keyringDir?: string;
  /** Skip the source signature checks, as makepkg's `--skippgpcheck`. @default false */
  skipPgpCheck?: boolean;
}

/**
 * Fetches and verifies every source of `plan`, `concurrency` at a time, in
 * plan order in the result. The first failure cancels the other downloads
 * and is thrown.
 *
 * @throws {ChecksumArrayInvalidError} when the plan has integrity problems.
 */
export async function fetchSources(
  plan: SourcePlan,
  options: FetchOptions,
): Promise<FetchedSource[]> {
  assertPlanValid(plan);
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) throw new CancelledError("Fetching sources", { cause: outer.reason });
  outer?.addEventListener("abort", onAbort, { once: true });
  const clients = new HttpClients(options.proxy);
  const context: DownloadContext = {
    cacheDir: options.cacheDir,
    recipeDir: options.recipeDir ?? ".",
    policy: transferPolicy(options),
    clientFor: (url) => clients.clientFor(url),
    offline: options.offline ?? false,
    verifyCache: options.verifyCache ?? true,
    ...(options.usedBy !== undefined ? { usedBy: options.usedBy } : {}),
    allowFileUrls: options.allowFileUrls ?? true,
    signal: controller.signal,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
  const results: FetchedSource[] = new Array(plan.sources.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < plan.sources.length) {
      const index = next++;
      const source = plan.sources[index];
      try {
        const fetched = await protocolHandler(source.entry.protocol).download(source, context);
        results[index] = fetched;
        emit(options.onEvent, {
          type: "source.done",
          name: fetched.name,
          path: fetched.path,
          fromCache: fetched.fromCache,
        });
      } catch (error) {
        if (failure === undefined) {
          failure = outer?.aborted && !(error instanceof CancelledError)
            ? new CancelledError("Fetching sources", { cause: error })
            : error;
          controller.abort(error);
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, plan.sources.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    outer?.removeEventListener("abort", onAbort);
    clients.close();
  }
  if (failure !== undefined) throw failure;
  // signatures: after every checksum, as makepkg's check_pgpsigs after check_checksums
  if (options.skipPgpCheck || !plan.sources.some(isSignedSource)) return results;
  const { verifySourceSignatures } = await import("../signature/step.ts");
  return await verifySourceSignatures(plan, results, options);
}

function transferPolicy(options: FetchOptions): TransferPolicy {
  return {
    retries: options.retries ?? 5,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 15_000,
    maxRedirects: options.maxRedirects ?? 10,
    stallDeadlineMs: options.stallDeadlineMs ?? 45_000,
  };
}

/** One `Deno.HttpClient` per proxy URL, created on first use. */
class HttpClients {
  readonly #proxy?: ProxyOptions;
  readonly #clients = new Map<string, Deno.HttpClient>();

  constructor(proxy?: ProxyOptions) {
    if (proxy) this.#proxy = proxy;
  }

  clientFor(url: URL): Deno.HttpClient | undefined {
    const proxy = url.protocol === "https:" ? this.#proxy?.https : this.#proxy?.http;
    if (!proxy || bypassesProxy(url.hostname, this.#proxy?.noProxy)) return undefined;
    let client = this.#clients.get(proxy);
    if (!client) {
      client = Deno.createHttpClient({ proxy: { url: proxy } });
      this.#clients.set(proxy, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}

/** Whether `host` matches a `no_proxy` list (exact host, `.suffix`/suffix match, or `*`). */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return noProxy.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== "").some(
    (rule) => {
      if (rule === "*") return true;
      const bare = rule.replace(/^\*?\./, "").replace(/:\d+$/, "");
      return name === bare || name.endsWith(`.${bare}`);
    },
  );
}
