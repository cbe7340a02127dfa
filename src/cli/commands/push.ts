/**
 * `push <package> oci://HOST[:PORT]/REPO[:TAG]`: uploads a package `build`
 * wrote as an OCI artifact; the tag (default: the package's version) is an
 * index with one manifest per architecture, so pushing another
 * architecture's build adds to it.
 *
 * @module
 */

import { resolve } from "node:path";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, readNeed } from "../permissions.ts";
import { hostOfUrl, registryOptions } from "./_registry.ts";
import { signingKey, signingNeeds } from "./_signature.ts";

/** Reading the package and reaching the registry. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const [pkg, target] = ctx.args.positionals;
  return [
    readNeed(resolve(ctx.cwd, pkg)),
    ...(target?.startsWith("oci://") ? [{ name: "net", host: hostOfUrl(target) } as const] : []),
    ...signingNeeds(ctx),
  ];
}

/** Pushes the package. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const [pkg, target] = ctx.args.positionals;
  const key = await signingKey(ctx);
  const { pushPackage } = await import("../../oci/package.ts");
  const options = { ...registryOptions(ctx), signal: ctx.signal };
  const pushed = await pushPackage(resolve(ctx.cwd, pkg), target, options);
  let signature: { digest: string; fingerprint: string } | undefined;
  if (key) {
    const { signBytes } = await import("../../signature/package.ts");
    const { pushPackageSignature } = await import("../../oci/signature.ts");
    const fingerprint = key.getFingerprint().toUpperCase();
    const sign = async (manifest: Uint8Array) => ({
      signature: await signBytes(manifest, key),
      fingerprint,
    });
    const written = await pushPackageSignature(target, pushed.manifestDigest, sign, options);
    signature = { digest: written.digest, fingerprint };
  }
  const text =
    `pushed ${pushed.reference}\n  manifest ${pushed.manifestDigest}\n  index    ${pushed.indexDigest}\n` +
    `  package  ${pushed.packageDigest}${pushed.uploaded ? "" : " (already in the registry)"}\n` +
    (signature ? `  signature ${signature.digest} (${signature.fingerprint})\n` : "");
  return { value: { ...pushed, ...(signature ? { signature } : {}) }, text };
}
