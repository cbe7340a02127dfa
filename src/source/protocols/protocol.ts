/**
 * The one small interface every source protocol implements, like
 * libmakepkg's `source/<proto>.sh`: `download` brings the source into the
 * cache (or finds it there) and verifies it; `prepare` puts it into srcdir.
 *
 * @module
 */

import type { EventSink } from "../../events.ts";
import type { SourceEvent } from "../events.ts";
import type { PlannedSource } from "../plan.ts";
import type { TransferPolicy } from "./_transfer.ts";
import type { ExtractLimits } from "../extract/limits.ts";

/** A source whose verified content is available locally. */
export interface FetchedSource {
  /** The planned source it satisfies. */
  readonly source: PlannedSource;
  /** The source's file name (the name it gets in srcdir). */
  readonly name: string;
  /** `file` for a single file, `git` for a git mirror. */
  readonly kind: "file" | "git";
  /** Where the content lives: a cache file, a local file next to the PKGBUILD, or a git mirror. */
  readonly path: string;
  /** Whether it came from the cache (or the recipe directory) without any network transfer. */
  readonly fromCache: boolean;
  /** For a signature file or a `?signed` git source: who signed what (set by the signature step). */
  readonly signature?: SourceSignature;
}

/** Who signed a source, as the signature step found it. */
export interface SourceSignature {
  /** What was signed: a file name, or `<name> git repo`. */
  readonly subject: string;
  /** The signer's primary key fingerprint (upper-case hex). */
  readonly fingerprint: string;
  /** gpg's verdict: `good`, `expired` (signature) or `expiredkey`. */
  readonly status: string;
  /** The signer's primary user id, when known. */
  readonly userId?: string;
  /** Where the signature file is (file signatures). */
  readonly signaturePath?: string;
  /** Where the signed data is: the source file, or the git mirror. */
  readonly signedPath: string;
  /** The compression the signed file was read through (`gzip`, `xz`, ...), when it was. */
  readonly format?: string;
  /** For a git source: the signed object checked (`tag` or `commit`, and its ref). */
  readonly git?: { readonly kind: "tag" | "commit"; readonly ref: string };
}

/** What a protocol's `download` receives. */
export interface DownloadContext {
  /** The cache root. */
  readonly cacheDir: string;
  /** The directory holding the PKGBUILD and its local sources. */
  readonly recipeDir: string;
  /** Retry and timeout policy for HTTP. */
  readonly policy: TransferPolicy;
  /** The HTTP client (proxy) for a URL, or undefined for a direct connection. */
  readonly clientFor: (url: URL) => Deno.HttpClient | undefined;
  /** Never touch the network. */
  readonly offline: boolean;
  /** Whether `file://` sources (plain or git) may be read: only for a local recipe. */
  readonly allowFileUrls: boolean;
  /** Verify pinned cache hits before trusting them (`"deep"`: always re-hash; see FetchOptions). */
  readonly verifyCache: boolean | "deep";
  /** The worker whose recipe is fetched, recorded next to each cache file (`cache list`). */
  readonly usedBy?: string;
  /** Cancels the download. */
  readonly signal?: AbortSignal;
  /** Receives events. */
  readonly onEvent?: EventSink<SourceEvent>;
}

/** What a protocol's `prepare` receives. */
export interface PrepareContext {
  /** The srcdir to fill. */
  readonly srcdir: string;
  /** Extraction limits (total bytes, entries, ratio). @default DEFAULT_EXTRACT_LIMITS */
  readonly limits?: ExtractLimits;
  /** Cancels the preparation. */
  readonly signal?: AbortSignal;
  /** Receives events. */
  readonly onEvent?: EventSink<SourceEvent>;
}

/** A source protocol: download into the cache, prepare into srcdir. */
export interface SourceProtocolHandler {
  /** Fetches (or finds) and verifies `source`. */
  download(source: PlannedSource, context: DownloadContext): Promise<FetchedSource>;
  /** Places `fetched` into `context.srcdir`. */
  prepare(fetched: FetchedSource, context: PrepareContext): Promise<void>;
}
