/**
 * Binary caches in front of builds: where a package built for a cache key
 * is looked up and published. A directory (`DIR/<id>/<arch>/<key>.pkg.tar.zst`)
 * and an HTTP base (the same paths under the URL; read-only) live here; the
 * OCI registry cache is `src/oci/cache.ts`. A hit is only a candidate: the
 * installer verifies the package and that its manifest carries the key.
 *
 * @module
 */

import { join } from "node:path";
import { downloadVerified, PackageDownloadError } from "./download.ts";
import { PackageWriteError } from "./errors.ts";

/** What a cache lookup is for. */
export interface CacheQuery {
  /** The worker id. */
  readonly id: string;
  /** The architecture. */
  readonly arch: string;
  /** The cache key. */
  readonly key: string;
}

/** A binary cache. */
export interface BinaryCache {
  /** Where it is, for messages and `plan`. */
  readonly location: string;
  /** Whether it holds a package for `query` (no download). */
  has(query: CacheQuery, signal?: AbortSignal): Promise<boolean>;
  /** Fetches the package for `query` into `destDir`; its path, or null on a miss. */
  fetch(query: CacheQuery, destDir: string, signal?: AbortSignal): Promise<string | null>;
  /** Publishes the package at `path` under `query`; where it went. */
  publish(query: CacheQuery, path: string, signal?: AbortSignal): Promise<string>;
}

/** The relative path of a cached package. */
export function cachePath(query: CacheQuery): string {
  return `${query.id}/${query.arch}/${query.key}.pkg.tar.zst`;
}

/** A directory cache (shared storage, an NFS export, a synced folder). */
export class DirectoryCache implements BinaryCache {
  /** Creates the cache over `dir`. */
  constructor(readonly dir: string) {}

  /** The directory. */
  get location(): string {
    return this.dir;
  }

  /** Whether the package file exists. */
  async has(query: CacheQuery): Promise<boolean> {
    return (await Deno.stat(join(this.dir, cachePath(query))).catch(() => null))?.isFile ?? false;
  }

  /** The cached file itself (nothing is copied). */
  async fetch(query: CacheQuery): Promise<string | null> {
    return await this.has(query) ? join(this.dir, cachePath(query)) : null;
  }

  /** Copies the package in (temp name, then rename). */
  async publish(query: CacheQuery, path: string): Promise<string> {
    const dest = join(this.dir, cachePath(query));
    const tmp = `${dest}.${crypto.randomUUID().slice(0, 8)}.part`;
    try {
      await Deno.mkdir(join(this.dir, query.id, query.arch), { recursive: true });
      await Deno.copyFile(path, tmp);
      await Deno.rename(tmp, dest);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      throw new PackageWriteError(dest, (error as Error).message, error);
    }
    return dest;
  }
}

/** An HTTP cache: packages under a base URL (a static file server, an object store). Read-only. */
export class HttpCache implements BinaryCache {
  readonly #base: string;
  /** Creates the cache over `base`. */
  constructor(base: string) {
    this.#base = base.replace(/\/+$/, "");
  }

  /** The base URL. */
  get location(): string {
    return this.#base;
  }

  /** `HEAD` answers 200. */
  async has(query: CacheQuery, signal?: AbortSignal): Promise<boolean> {
    const res = await fetch(`${this.#base}/${cachePath(query)}`, {
      method: "HEAD",
      ...(signal ? { signal } : {}),
    });
    await res.body?.cancel();
    return res.ok;
  }

  /** Downloads (resuming) into `destDir`; a 404 is a miss. */
  async fetch(query: CacheQuery, destDir: string, signal?: AbortSignal): Promise<string | null> {
    const dest = join(destDir, `${query.key}.pkg.tar.zst`);
    await Deno.mkdir(destDir, { recursive: true });
    try {
      await downloadVerified(`${this.#base}/${cachePath(query)}`, dest, {
        ...(signal ? { signal } : {}),
      });
      return dest;
    } catch (error) {
      await Deno.remove(dest).catch(() => {});
      if (error instanceof PackageDownloadError && error.status === 404) return null;
      throw error;
    }
  }

  /** HTTP caches are read-only here. */
  publish(): Promise<string> {
    return Promise.reject(
      new PackageWriteError(
        this.#base,
        "an HTTP binary cache is read-only; publish to a directory or an oci:// registry",
      ),
    );
  }
}
