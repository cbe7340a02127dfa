/**
 * The verify-then-rename step shared by the file-like protocols (http, file):
 * under the target's lock, reuse a verified cache file, or fill
 * `<target>.part` while hashing, compare, and rename onto the target only
 * when every checksum matches. A mismatching `.part` is deleted; a cancelled
 * or failed one is kept for the next run to resume when it can be resumed.
 *
 * @module
 */

import { CancelledError } from "../../errors.ts";
import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import {
  type CacheOrigin,
  cachePathFor,
  isContentKeyed,
  isFile,
  recordDigests,
  recordedDigests,
  removeIfExists,
  sameOrigin,
  stampPathFor,
  withFileLock,
} from "../cache.ts";
import { ChecksumMismatchError, DownloadFailedError, fileSystemErrorOf } from "../errors.ts";
import { emit } from "../events.ts";
import { compareChecksums, hashFile, MultiHasher } from "../integrity.ts";
import type { PlannedSource } from "../plan.ts";
import type { DownloadContext, FetchedSource } from "./protocol.ts";

/** Fills a `.part` file; returns the digests of everything written. */
export type PartFiller = (
  partPath: string,
  hasher: MultiHasher,
) => Promise<Partial<Record<HashAlgorithm, string>>>;

/** Options of {@link storeVerified}. */
export interface StoreOptions {
  /** The URL, for messages. */
  readonly url: string;
  /**
   * Whether a `.part` left by a failed attempt may be kept for a later resume (a
   * cancelled one always may); it is kept only when non-empty and its resume
   * validator was saved.
   */
  readonly keepPartOnFailure: (error: unknown) => boolean;
}

/** Fetches `source` into its cache file through `fill`, verified; or reuses the cache. */
export function storeVerified(
  source: PlannedSource,
  context: DownloadContext,
  options: StoreOptions,
  fill: PartFiller,
): Promise<FetchedSource> {
  const target = cachePathFor(context.cacheDir, source);
  const name = source.entry.name;
  const algorithms = Object.keys(source.checksums) as HashAlgorithm[];
  const onWait = () => emit(context.onEvent, { type: "source.wait", name, path: target });
  return withFileLock(target, async (): Promise<FetchedSource> => {
    if (await cacheHit(source, context, target, algorithms)) {
      emit(context.onEvent, { type: "source.cached", name, path: target });
      emit(context.onEvent, { type: "source.verified", name, algorithms });
      return { source, name, kind: "file", path: target, fromCache: true };
    }
    if (context.offline) {
      throw new DownloadFailedError(options.url, "offline mode and the file is not in the cache");
    }
    emit(context.onEvent, {
      type: "source.start",
      name,
      url: options.url,
      protocol: source.entry.protocol,
    });
    const part = `${target}.part`;
    let digests: Partial<Record<HashAlgorithm, string>>;
    try {
      digests = await fill(part, new MultiHasher(algorithms));
    } catch (error) {
      // A cancelled or failed transfer keeps what arrived when the server gave a
      // validator to resume it with (`.part.json`); the next run continues it.
      const keep = (error instanceof CancelledError || options.keepPartOnFailure(error)) &&
        (await isFile(`${part}.json`)) && (await Deno.stat(part).catch(() => null))?.size;
      if (!keep) await discardPart(part);
      throw error;
    }
    const mismatch = compareChecksums(source.checksums, digests);
    if (mismatch) {
      await discardPart(part);
      throw new ChecksumMismatchError(name, mismatch.algorithm, mismatch.expected, mismatch.actual);
    }
    await Deno.rename(part, target);
    await recordDigests(target, digests, originOf(source, options.url, context));
    await removeIfExists(`${part}.json`);
    emit(context.onEvent, { type: "source.verified", name, algorithms });
    return { source, name, kind: "file", path: target, fromCache: false };
  }, { signal: context.signal, onWait, label: name }).catch((error) => {
    // A full, read-only or forbidden cache: a typed error naming the path, not "unexpected".
    throw fileSystemErrorOf(error, target) ?? error;
  });
}

/** Deletes a `.part` file and its resume metadata. */
export async function discardPart(part: string): Promise<void> {
  await removeIfExists(part);
  await removeIfExists(`${part}.json`);
}

async function cacheHit(
  source: PlannedSource,
  context: DownloadContext,
  target: string,
  algorithms: HashAlgorithm[],
): Promise<boolean> {
  if (!(await isFile(target))) return false;
  if (!isContentKeyed(source) || !context.verifyCache) return true;
  const origin = originOf(source, source.entry.url, context);
  const recorded = context.verifyCache === "deep" ? undefined : await recordedDigests(target);
  if (recorded && compareChecksums(source.checksums, recorded.digests) === undefined) {
    if (!recorded.origins.some((o) => sameOrigin(o, origin))) {
      await recordDigests(target, recorded.digests, origin);
    }
    return true;
  }
  const digests = await hashFile(target, algorithms, context.signal);
  if (compareChecksums(source.checksums, digests) === undefined) {
    await recordDigests(target, digests, origin);
    return true;
  }
  emit(context.onEvent, {
    type: "source.warning",
    name: source.entry.name,
    message: `cached ${target} no longer matches its checksum; it was removed and is fetched again`,
  });
  await Deno.remove(target);
  await removeIfExists(stampPathFor(target));
  return false;
}

/** What `source` is recorded as in the cache: its name, URL and the worker fetching it. */
function originOf(source: PlannedSource, url: string, context: DownloadContext): CacheOrigin {
  return {
    name: source.entry.name,
    url,
    ...(context.usedBy !== undefined ? { usedBy: context.usedBy } : {}),
  };
}
