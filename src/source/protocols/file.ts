/**
 * Local sources (a file next to the PKGBUILD) and `file://` URLs, and the
 * preparation shared by every file-like source (makepkg's `extract_file`):
 * symlink the file into srcdir, then extract it unless it is in `noextract`
 * or is not an archive.
 *
 * @module
 */

import { join } from "node:path";
import { throwIfCancelled } from "../../errors.ts";
import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import { isFile, removeIfExists } from "../cache.ts";
import { ChecksumMismatchError, DownloadFailedError, SourceNotFoundError } from "../errors.ts";
import { emit } from "../events.ts";
import { compareChecksums, hashFile } from "../integrity.ts";
import type { PlannedSource } from "../plan.ts";
import { storeVerified } from "./_store.ts";
import { localUrlRefused } from "./git_transport.ts";
import type {
  DownloadContext,
  FetchedSource,
  PrepareContext,
  SourceProtocolHandler,
} from "./protocol.ts";

/** Verifies a local source next to the PKGBUILD; it is used in place, not copied. */
export async function downloadLocal(
  source: PlannedSource,
  context: DownloadContext,
): Promise<FetchedSource> {
  const name = source.entry.name;
  const path = join(context.recipeDir, name);
  if (!(await isFile(path))) throw new SourceNotFoundError(name, context.recipeDir);
  const algorithms = Object.keys(source.checksums) as HashAlgorithm[];
  const digests = await hashFile(path, algorithms, context.signal);
  const mismatch = compareChecksums(source.checksums, digests);
  if (mismatch) {
    throw new ChecksumMismatchError(name, mismatch.algorithm, mismatch.expected, mismatch.actual, {
      outcome: `the local file ${path} does not match the recipe`,
    });
  }
  emit(context.onEvent, { type: "source.cached", name, path });
  emit(context.onEvent, { type: "source.verified", name, algorithms });
  return { source, name, kind: "file", path, fromCache: true };
}

/** Copies a `file://` source into the cache while hashing it. */
export function downloadFileUrl(
  source: PlannedSource,
  context: DownloadContext,
): Promise<FetchedSource> {
  const from = source.entry.location;
  if (!context.allowFileUrls) return Promise.reject(localUrlRefused(source.entry.raw));
  return storeVerified(
    source,
    context,
    { url: source.entry.url, keepPartOnFailure: () => false },
    async (part, hasher) => {
      let input: Deno.FsFile;
      try {
        input = await Deno.open(from, { read: true });
      } catch (error) {
        throw new DownloadFailedError(source.entry.url, `cannot read ${from}`, { cause: error });
      }
      using _input = input;
      await removeIfExists(part);
      using output = await Deno.open(part, { write: true, createNew: true });
      const buffer = new Uint8Array(1 << 20);
      while (true) {
        throwIfCancelled(context.signal, `Copying ${from}`);
        const n = await input.read(buffer);
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        hasher.update(chunk);
        let written = 0;
        while (written < n) written += await output.write(chunk.subarray(written));
      }
      return hasher.digest();
    },
  );
}

/**
 * makepkg's `extract_file`: replace `srcdir/<name>` with a symlink to the
 * content, then extract it into srcdir unless it is in `noextract`.
 */
export async function prepareFile(fetched: FetchedSource, context: PrepareContext): Promise<void> {
  const link = join(context.srcdir, fetched.name);
  await removeIfExists(link);
  await Deno.symlink(fetched.path, link);
  if (fetched.source.noextract) {
    emit(context.onEvent, {
      type: "source.extract",
      name: fetched.name,
      format: "symlink",
      tool: "none",
    });
    return;
  }
  // Loaded on first use: a process that only fetches never loads the decoders (node:zlib,
  // node:stream), 5-10 MiB of its peak RSS.
  const { extractInto } = await import("../extract/extract.ts");
  await extractInto(link, fetched.name, context);
}

/** The local protocol: files next to the PKGBUILD. */
export const localProtocol: SourceProtocolHandler = {
  download: downloadLocal,
  prepare: prepareFile,
};

/** The `file://` protocol. */
export const fileProtocol: SourceProtocolHandler = {
  download: downloadFileUrl,
  prepare: prepareFile,
};
