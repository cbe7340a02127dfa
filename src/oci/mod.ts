/**
 * OCI distribution of worker packages: references, registry auth
 * (anonymous, basic, bearer tokens, Docker config.json), blob upload and
 * download, manifests and per-version indexes.
 *
 * @example Push a package, then pull it for this host's architecture
 * ```ts ignore
 * import { pullPackage, pushPackage } from "./mod.ts";
 *
 * await pushPackage("dist/demo-1.0-1-x86_64.pkg.tar.zst", "oci://127.0.0.1:5000/rbee/demo");
 * const pulled = await pullPackage("oci://127.0.0.1:5000/rbee/demo:1.0-1", "x86_64", "/tmp/pkgs");
 * console.log(pulled.path, pulled.sha256);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export {
  isLoopback,
  isOciRef,
  type OciReference,
  parseOciReference,
  tagForVersion,
} from "./reference.ts";
export { type Credentials, credentialsFromDockerConfig, parseCredentials } from "./auth.ts";
export { type UploadOptions } from "./blob.ts";
export {
  ANNOTATION,
  ARTIFACT_TYPE,
  MEDIA_CONFIG,
  MEDIA_INDEX,
  MEDIA_MANIFEST,
  MEDIA_PACKAGE,
} from "./manifest.ts";
export { cacheTag, OciCache } from "./cache.ts";
export {
  type PulledPackage,
  pullPackage,
  type PushedPackage,
  pushPackage,
  type RegistryOptions,
} from "./package.ts";
