/**
 * Progress events of the source stage, delivered through an
 * `onEvent` {@link EventSink}. Every event names the source by its file name
 * (`name`, makepkg's file name in `$SRCDEST`/`$srcdir`).
 *
 * @module
 */

import type { EventSink } from "../events.ts";

/** A source starts downloading (a network transfer or a git clone/fetch begins). */
export interface SourceStartEvent {
  /** Event type. */
  readonly type: "source.start";
  /** The source's file name. */
  readonly name: string;
  /** The URL fetched (without credentials stripped: recipes carry none). */
  readonly url: string;
  /** `http`, `https`, `file`, `git` or `local`. */
  readonly protocol: string;
}

/**
 * Another process (another worker-provisioner) holds the cache lock of this
 * source, fetching the same file or git mirror: this fetch waits until it
 * finishes, then reuses its result. Sent once per wait.
 */
export interface SourceWaitEvent {
  /** Event type. */
  readonly type: "source.wait";
  /** The source's file name. */
  readonly name: string;
  /** The cache file or git mirror whose lock (`<path>.lock`) is held. */
  readonly path: string;
}

/**
 * A download continues a `.part` an earlier run left (interrupted by Ctrl-C
 * or a failure): only the bytes from `offset` on are transferred.
 */
export interface SourceResumeEvent {
  /** Event type. */
  readonly type: "source.resume";
  /** The source's file name. */
  readonly name: string;
  /** Bytes already on disk, re-hashed, that the transfer continues from. */
  readonly offset: number;
}

/** Bytes arrived for a download; sent at most every ~100 ms per source and at the end. */
export interface SourceProgressEvent {
  /** Event type. */
  readonly type: "source.progress";
  /** The source's file name. */
  readonly name: string;
  /** Bytes of the file present so far (including a resumed prefix). */
  readonly bytes: number;
  /** Total size when the server told it. */
  readonly total?: number;
  /** Transfer rate of this attempt in bytes per second. */
  readonly rate: number;
}

/** A source was found in the cache (or next to the PKGBUILD): no download. */
export interface SourceCachedEvent {
  /** Event type. */
  readonly type: "source.cached";
  /** The source's file name. */
  readonly name: string;
  /** Where its content lives. */
  readonly path: string;
}

/** A source's content matched every checksum the recipe pins. */
export interface SourceVerifiedEvent {
  /** Event type. */
  readonly type: "source.verified";
  /** The source's file name. */
  readonly name: string;
  /** The algorithms checked; empty when every array says `SKIP`. */
  readonly algorithms: readonly string[];
}

/** An attempt failed and will be retried after `delayMs`. */
export interface SourceRetryEvent {
  /** Event type. */
  readonly type: "source.retry";
  /** The source's file name. */
  readonly name: string;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** Why it failed, one line. */
  readonly reason: string;
  /** Wait before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/** Something went wrong but the run goes on (e.g. a git fetch failed, the mirror is used offline). */
export interface SourceWarningEvent {
  /** Event type. */
  readonly type: "source.warning";
  /** The source's file name. */
  readonly name: string;
  /** What happened, one sentence. */
  readonly message: string;
}

/** A source finished: its verified content is at `path`. */
export interface SourceDoneEvent {
  /** Event type. */
  readonly type: "source.done";
  /** The source's file name. */
  readonly name: string;
  /** Where its content lives (cache file, git mirror, or local file). */
  readonly path: string;
  /** Whether no network transfer was needed. */
  readonly fromCache: boolean;
}

/** A source is being placed into srcdir: symlinked, extracted or checked out. */
export interface SourceExtractEvent {
  /** Event type. */
  readonly type: "source.extract";
  /** The source's file name. */
  readonly name: string;
  /** `symlink` (noextract or not an archive), `tar`, `zip`, `gzip`, ..., or `git`. */
  readonly format: string;
  /** How: `in-process`, or the system tool used (`bsdtar`, `xz`, `bzip2`, `git`). */
  readonly tool: string;
}

/** Every event of the source stage. */
export type SourceEvent =
  | SourceStartEvent
  | SourceWaitEvent
  | SourceResumeEvent
  | SourceProgressEvent
  | SourceCachedEvent
  | SourceVerifiedEvent
  | SourceRetryEvent
  | SourceWarningEvent
  | SourceDoneEvent
  | SourceExtractEvent;

/** Calls `sink` with `event`, ignoring a sink that throws (sinks must not break a run). */
export function emit(sink: EventSink<SourceEvent> | undefined, event: SourceEvent): void {
  if (!sink) return;
  try {
    sink(event);
  } catch {
    // A broken sink must not abort a download.
  }
}
