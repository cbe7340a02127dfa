/**
 * http and https sources: a streaming, hashing, resumable download into the
 * content-keyed cache (see `_transfer.ts` and `_store.ts`); prepared into
 * srcdir like any file.
 *
 * @module
 */

import { DownloadFailedError, DownloadStalledError, NetworkError } from "../errors.ts";
import type { PlannedSource } from "../plan.ts";
import { transfer } from "./_transfer.ts";
import { storeVerified } from "./_store.ts";
import { hashFileInto } from "../../_hash.ts";
import { prepareFile } from "./file.ts";
import type { DownloadContext, FetchedSource, SourceProtocolHandler } from "./protocol.ts";
import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import { MultiHasher } from "../integrity.ts";
import { removeIfExists } from "../cache.ts";
import { emit } from "../events.ts";

interface PartMeta {
  url: string;
  validator: string;
}

/** Downloads an http(s) source, resuming a `.part` an earlier run left when it can. */
export function downloadHttp(
  source: PlannedSource,
  context: DownloadContext,
): Promise<FetchedSource> {
  const url = source.entry.url;
  return storeVerified(source, context, {
    url,
    keepPartOnFailure: (error) =>
      error instanceof DownloadFailedError || error instanceof DownloadStalledError ||
      error instanceof NetworkError,
  }, async (part, hasher) => {
    const algorithms = Object.keys(source.checksums) as HashAlgorithm[];
    const resume = await resumeState(part, url, hasher);
    if (!resume) await Deno.writeFile(part, new Uint8Array());
    else {
      emit(context.onEvent, {
        type: "source.resume",
        name: source.entry.name,
        offset: resume.offset,
      });
    }
    const result = await transfer({
      url,
      name: source.entry.name,
      partPath: part,
      algorithms,
      ...(resume ? { resume } : {}),
      policy: context.policy,
      clientFor: context.clientFor,
      onValidator: async (validator) => {
        if (validator === undefined) return await removeIfExists(`${part}.json`);
        const meta: PartMeta = { url, validator };
        await Deno.writeTextFile(`${part}.json`, JSON.stringify(meta));
      },
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.onEvent ? { onEvent: context.onEvent } : {}),
    }, resume ? hasher : new MultiHasher(algorithms));
    return result.digests;
  });
}

/** A `.part` older than this is started again rather than resumed (the file may have changed). */
export const PART_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** Reads a `.part` left by an earlier run into `hasher` when its validator is known. */
async function resumeState(
  part: string,
  url: string,
  hasher: MultiHasher,
): Promise<{ offset: number; validator: string } | undefined> {
  let meta: PartMeta;
  try {
    meta = JSON.parse(await Deno.readTextFile(`${part}.json`));
  } catch {
    return undefined;
  }
  if (meta.url !== url || typeof meta.validator !== "string") return undefined;
  const age = Date.now() - ((await Deno.stat(part).catch(() => null))?.mtime?.getTime() ?? 0);
  if (age > PART_MAX_AGE_MS) return undefined;
  try {
    const offset = await hashFileInto(part, hasher);
    return offset > 0 ? { offset, validator: meta.validator } : undefined;
  } catch {
    return undefined;
  }
}

/** The http and https protocol. */
export const httpProtocol: SourceProtocolHandler = {
  download: downloadHttp,
  prepare: prepareFile,
};
