/**
 * The one place the OpenPGP implementation is imported: OpenPGP.js 6
 * (`npm:openpgp`, pure TypeScript over WebCrypto, kept by Proton), pinned
 * here so every module of `src/signature/` uses the same version.
 *
 * @module
 */

export * as openpgp from "npm:openpgp@6.3.2";
export type { Key, PrivateKey, PublicKey, Signature } from "npm:openpgp@6.3.2";
