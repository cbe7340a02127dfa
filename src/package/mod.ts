/**
 * Binary worker packages: a `.pkg.tar.zst` pacman accepts plus our manifest,
 * written reproducibly, read back verifying every file, downloaded with
 * resume, checked by pluggable verifiers, and shared through binary caches.
 *
 * @example Read and verify a package into a directory
 * ```ts ignore
 * import { readPackage } from "./mod.ts";
 *
 * const { manifest, sha256 } = await readPackage("dist/demo-1.0-1-x86_64.pkg.tar.zst", "/tmp/tree");
 * console.log(manifest.id, manifest.version, manifest.files.length, sha256);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export {
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  type ManifestFile,
  type ManifestSource,
  type PackageManifest,
  parseManifest,
} from "./manifest.ts";
export { type PackageInfo } from "./metadata.ts";
export { writePackage, type WritePackageOptions, type WrittenPackage } from "./write.ts";
export {
  type ReadPackage,
  readPackage,
  readPackageManifest,
  type ReadPackageOptions,
} from "./read.ts";
export {
  type Downloaded,
  type DownloadOptions,
  downloadVerified,
  PackageDownloadError,
} from "./download.ts";
export {
  type PackageVerdict,
  type PackageVerifier,
  type RegistrySignatures,
  type VerifiablePackage,
  verifyPackage,
} from "./verify.ts";
export { cacheKey, type CacheKeyInputs } from "./cache_key.ts";
export {
  type BinaryCache,
  cachePath,
  type CacheQuery,
  DirectoryCache,
  HttpCache,
} from "./binary_cache.ts";
