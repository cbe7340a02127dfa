/**
 * A registry as a binary cache: a package published under cache key K is
 * pushed like any package (into its version's index) and also tagged
 * `cache-<first 40 hex of K>` (pointing at its image manifest), so a lookup
 * is one manifest request.
 *
 * @module
 */

import type { BinaryCache, CacheQuery } from "../package/binary_cache.ts";
import { RegistryClient } from "./client.ts";
import { getManifest, type ImageManifest, MEDIA_MANIFEST, putManifest } from "./manifest.ts";
import { pullPackage, pushPackage, type RegistryOptions } from "./package.ts";
import { formatOciReference, parseOciReference } from "./reference.ts";

/** The tag of cache key `key`. */
export function cacheTag(key: string): string {
  return `cache-${key.slice(0, 40)}`;
}

/** A binary cache in an OCI repository (`oci://host/repo`). */
export class OciCache implements BinaryCache {
  readonly #base: string;
  readonly #o: RegistryOptions;

  /** Creates the cache over the repository `base` (`oci://host[:port]/repo`, no tag). */
  constructor(base: string, options: RegistryOptions = {}) {
    const ref = parseOciReference(base, options.insecure);
    this.#base = formatOciReference({ ...ref, tag: undefined, digest: undefined } as typeof ref);
    this.#o = options;
  }

  /** The repository. */
  get location(): string {
    return this.#base;
  }

  #ref(tag: string) {
    return parseOciReference(`${this.#base}:${tag}`, this.#o.insecure);
  }

  #client(tag: string, signal?: AbortSignal): RegistryClient {
    const ref = this.#ref(tag);
    const credentials = this.#o.credentials?.(ref.registry);
    return new RegistryClient(ref, {
      ...(credentials ? { credentials } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /** Whether the cache tag exists. */
  async has(query: CacheQuery, signal?: AbortSignal): Promise<boolean> {
    return (await getManifest(this.#client(cacheTag(query.key), signal), cacheTag(query.key))) !==
      null;
  }

  /** Pulls the package of the cache tag into `destDir`, or null on a miss. */
  async fetch(query: CacheQuery, destDir: string, signal?: AbortSignal): Promise<string | null> {
    if (!await this.has(query, signal)) return null;
    const pulled = await pullPackage(`${this.#base}:${cacheTag(query.key)}`, query.arch, destDir, {
      ...this.#o,
      ...(signal ? { signal } : {}),
    });
    return pulled.path;
  }

  /** Pushes into the version's index, then tags the package's manifest with the cache tag. */
  async publish(query: CacheQuery, path: string, signal?: AbortSignal): Promise<string> {
    const options = { ...this.#o, ...(signal ? { signal } : {}) };
    const pushed = await pushPackage(path, this.#base, options);
    const client = this.#client(cacheTag(query.key), signal);
    const fetched = await getManifest(client, pushed.manifestDigest, "push,pull");
    if (fetched?.mediaType === MEDIA_MANIFEST) {
      await putManifest(client, cacheTag(query.key), fetched.doc as ImageManifest);
    }
    return pushed.reference;
  }
}
