/**
 * Signatures: makepkg's source signature checks (detached `.sig`/`.asc`/
 * `.sign` sources and `?signed` git sources against `validpgpkeys`), the
 * provisioner's OpenPGP keyring, and signed worker packages (detached
 * signatures, the node's trust policy, the OCI signature artifact). All of
 * it verifies in process with OpenPGP.js; gpg is never run.
 *
 * ```ts ignore
 * import { importKeys, keyringDir, readSigningKey, signFile, verifyFileSignature, loadKeyring } from "./mod.ts";
 * const dir = keyringDir("/var/lib/worker-provisioner");
 * await importKeys(dir, await Deno.readFile("release-key.asc"), "release-key.asc");
 * const key = await readSigningKey(await Deno.readFile("secret.asc"), "secret.asc");
 * await Deno.writeFile("worker.pkg.tar.zst.sig", await signFile("worker.pkg.tar.zst", key));
 * const result = await verifyFileSignature(
 *   "worker.pkg.tar.zst",
 *   await Deno.readFile("worker.pkg.tar.zst.sig"),
 *   await loadKeyring(dir),
 * );
 * console.log(result.ok, result.verdict.fingerprint);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./verify.ts";
export * from "./keyring.ts";
export { trustConfigPath } from "./paths.ts";
export * from "./names.ts";
export * from "./source.ts";
export * from "./git_signed.ts";
export * from "./package.ts";
export * from "./trust.ts";
export * from "./oci.ts";
export * from "./package_verifier.ts";
