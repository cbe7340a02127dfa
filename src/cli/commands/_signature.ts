/**
 * The signature flags of `install` (`--trusted-key FILE[,FILE]`,
 * `--require-signature`, `--allow-unsigned`) as the provisioner's
 * `packageVerifiers`, and `--sign KEY` (`--passphrase-file FILE`) of `build`
 * and `push`. The signature module (OpenPGP.js) is loaded only when a
 * package is verified or signed, so other commands start without it.
 *
 * @module
 */

import { resolve } from "node:path";
import { flag, stringOption } from "../args.ts";
import type { CommandContext } from "../context.ts";
import { type PermissionNeed, readNeed } from "../permissions.ts";
import type { PackageVerifier } from "../../package/verify.ts";
import type { PrivateKey } from "../../signature/_openpgp.ts";

/** The `--trusted-key` files, resolved. */
function trustedKeyFiles(ctx: CommandContext): string[] {
  const list = stringOption(ctx.args, "trusted-key");
  return list ? list.split(",").map((f) => resolve(ctx.cwd, f)) : [];
}

/** Reading the `--trusted-key` files and, for a local package, its `.sig`. */
export function verifierNeeds(ctx: CommandContext, localPackage?: string): PermissionNeed[] {
  return [
    ...trustedKeyFiles(ctx).map(readNeed),
    ...(localPackage ? [readNeed(`${resolve(ctx.cwd, localPackage)}.sig`)] : []),
  ];
}

/** The package signature verifier `install` runs, under the node's policy and the run's flags. */
export function signatureVerifier(ctx: CommandContext): PackageVerifier {
  const files = trustedKeyFiles(ctx);
  const requireSignature = flag(ctx.args, "require-signature");
  const allowUnsigned = flag(ctx.args, "allow-unsigned");
  return async (pkg) => {
    const { packageSignatureVerifier } = await import("../../signature/package_verifier.ts");
    const trustedKeys = [];
    if (files.length > 0) {
      const { parseKeys } = await import("../../signature/keyring.ts");
      for (const f of files) trustedKeys.push(...await parseKeys(await Deno.readFile(f), f));
    }
    const verify = packageSignatureVerifier({
      stateDir: ctx.config.stateDir!,
      trustedKeys,
      requireSignature,
      allowUnsigned,
      onWarning: (message) => ctx.renderer.info(`warning: ${message}`),
    });
    return await verify(pkg);
  };
}

/** The `--sign KEY` and `--passphrase-file FILE` paths, resolved; undefined without `--sign`. */
export function signingFiles(
  ctx: CommandContext,
): { key: string; passphrase?: string } | undefined {
  const key = stringOption(ctx.args, "sign");
  if (!key) return undefined;
  const passphrase = stringOption(ctx.args, "passphrase-file");
  return {
    key: resolve(ctx.cwd, key),
    ...(passphrase ? { passphrase: resolve(ctx.cwd, passphrase) } : {}),
  };
}

/** Reading the signing key and its passphrase file. */
export function signingNeeds(ctx: CommandContext): PermissionNeed[] {
  const files = signingFiles(ctx);
  if (!files) return [];
  return [readNeed(files.key), ...(files.passphrase ? [readNeed(files.passphrase)] : [])];
}

/** The secret key of `--sign`, decrypted; undefined without `--sign`. */
export async function signingKey(ctx: CommandContext): Promise<PrivateKey | undefined> {
  const files = signingFiles(ctx);
  if (!files) return undefined;
  const sig = await import("../../signature/mod.ts");
  const passphrase = files.passphrase
    ? (await Deno.readTextFile(files.passphrase)).replace(/\r?\n$/, "")
    : undefined;
  return await sig.readSigningKey(await Deno.readFile(files.key), files.key, passphrase);
}
