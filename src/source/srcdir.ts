/**
 * `prepareSrcdir`: puts fetched sources into srcdir the way makepkg's
 * `extract_sources` does, in plan order: each file source is symlinked into
 * srcdir and extracted unless it is in `noextract` (see
 * `protocols/file.ts`); each git source is cloned from its mirror and checked
 * out at its ref.
 *
 * @module
 */

import { throwIfCancelled } from "../errors.ts";
import { fileSystemErrorOf } from "./errors.ts";
import type { ExtractLimits } from "./extract/limits.ts";
import type { EventSink } from "../events.ts";
import type { SourceEvent } from "./events.ts";
import type { FetchedSource } from "./protocols/protocol.ts";
import { protocolHandler } from "./protocols/registry.ts";

/** Options of {@link prepareSrcdir}. */
export interface PrepareOptions {
  /** Cancels the preparation (kills git, stops extraction). */
  signal?: AbortSignal;
  /** Receives `source.extract` events. */
  onEvent?: EventSink<SourceEvent>;
  /** Limits that stop a decompression bomb (bytes, entries, ratio). @default DEFAULT_EXTRACT_LIMITS */
  extractLimits?: ExtractLimits;
}

/** Fills `srcdir` (created if missing) with `fetched`, in order. */
export async function prepareSrcdir(
  fetched: readonly FetchedSource[],
  srcdir: string,
  options: PrepareOptions = {},
): Promise<void> {
  try {
    await Deno.mkdir(srcdir, { recursive: true });
    const root = await Deno.realPath(srcdir);
    for (const source of fetched) {
      throwIfCancelled(options.signal, "Preparing srcdir");
      await protocolHandler(source.source.entry.protocol).prepare(source, {
        srcdir: root,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.extractLimits ? { limits: options.extractLimits } : {}),
      });
    }
  } catch (error) {
    // A full, read-only or forbidden build directory: a typed error naming it.
    throw fileSystemErrorOf(error, srcdir) ?? error;
  }
}
