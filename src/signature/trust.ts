/**
 * Which keys a node trusts to sign worker packages, and whether it requires
 * a signature. The configuration lives in `STATE/trust.json`:
 *
 * ```json
 * { "keys": ["<FPR>", ...],
 *   "catalogs": { "https://catalog.example.org": ["<FPR>"] },
 *   "requireSignature": true }
 * ```
 *
 * `keys` are trusted for packages from anywhere; a catalog with pinned keys
 * accepts only its pinned keys (a pin narrows trust, as a pinned
 * certificate does). The key material itself is in the keyring
 * (`STATE/keys/`); `--trusted-key FILE` adds a key for one run. A signature
 * is required when asked (`--require-signature` or `requireSignature`), and
 * by default as soon as any trusted key is configured; `--allow-unsigned`
 * turns the default off for one run. A signature that is present must
 * verify whatever the policy, as with pacman's `SigLevel = Optional`. These functions are pure except
 * {@link readTrustConfig} and {@link writeTrustConfig}.
 *
 * @module
 */

import { dirname } from "node:path";
import { trustConfigPath } from "./paths.ts";
import { SignatureInvalidError, SignatureRequiredError } from "./errors.ts";
import type { FileSignatureResult } from "./package.ts";

/** The trust configuration of a node. */
export interface TrustConfig {
  /** Fingerprints trusted for packages from any origin. */
  readonly keys: readonly string[];
  /** Fingerprints pinned per catalog URL: only these sign that catalog's packages. */
  readonly catalogs: Readonly<Record<string, readonly string[]>>;
  /** Require a signature even with no key configured (and refuse everything then). */
  readonly requireSignature?: boolean;
}

/** The empty configuration: nothing trusted, nothing required. */
export const EMPTY_TRUST: TrustConfig = { keys: [], catalogs: {} };

/** A catalog URL as a key of `catalogs`: no trailing slashes. */
export function catalogKey(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Reads `STATE/trust.json` ({@link EMPTY_TRUST} when absent). */
export async function readTrustConfig(stateDir: string): Promise<TrustConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(trustConfigPath(stateDir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return EMPTY_TRUST;
    throw error;
  }
  return parseTrustConfig(text);
}

/** Validates the JSON of a trust configuration; unknown fields are dropped. */
export function parseTrustConfig(text: string): TrustConfig {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const fprs = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  const catalogs: Record<string, string[]> = {};
  if (raw.catalogs && typeof raw.catalogs === "object") {
    for (const [url, list] of Object.entries(raw.catalogs)) catalogs[catalogKey(url)] = fprs(list);
  }
  return {
    keys: fprs(raw.keys),
    catalogs,
    ...(typeof raw.requireSignature === "boolean"
      ? { requireSignature: raw.requireSignature }
      : {}),
  };
}

/** Writes `STATE/trust.json` (temp file and rename). */
export async function writeTrustConfig(stateDir: string, config: TrustConfig): Promise<void> {
  const path = trustConfigPath(stateDir);
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(config, null, 2) + "\n");
  await Deno.rename(temp, path);
}

/** `config` with `fingerprint` trusted everywhere, or pinned for `catalog`. */
export function trustKey(config: TrustConfig, fingerprint: string, catalog?: string): TrustConfig {
  if (catalog === undefined) {
    return { ...config, keys: [...new Set([...config.keys, fingerprint])] };
  }
  const key = catalogKey(catalog);
  const pinned = [...new Set([...(config.catalogs[key] ?? []), fingerprint])];
  return { ...config, catalogs: { ...config.catalogs, [key]: pinned } };
}

/** `config` without `fingerprint` (everywhere, or only for `catalog`). */
export function untrustKey(
  config: TrustConfig,
  fingerprint: string,
  catalog?: string,
): TrustConfig {
  const drop = (list: readonly string[]) => list.filter((f) => f !== fingerprint);
  if (catalog !== undefined) {
    const key = catalogKey(catalog);
    const catalogs = { ...config.catalogs, [key]: drop(config.catalogs[key] ?? []) };
    if (catalogs[key].length === 0) delete catalogs[key];
    return { ...config, catalogs };
  }
  const catalogs = Object.fromEntries(
    Object.entries(config.catalogs).map(([k, v]) => [k, drop(v)]).filter(([, v]) => v.length > 0),
  );
  return { ...config, keys: drop(config.keys), catalogs };
}

/** What one run asks for. */
export interface PolicyRequest {
  /** The catalog the package comes from, when it comes from one. */
  readonly catalog?: string;
  /** Fingerprints of the keys given with `--trusted-key` for this run. */
  readonly extraKeys?: readonly string[];
  /** `--require-signature`. */
  readonly requireSignature?: boolean;
  /** `--allow-unsigned`: no signature required unless asked for explicitly. */
  readonly allowUnsigned?: boolean;
}

/** The policy of one verification: the trusted fingerprints and whether a signature is required. */
export interface SignaturePolicy {
  /** The fingerprints whose signatures are accepted. */
  readonly trusted: readonly string[];
  /** Whether an unsigned package is refused. */
  readonly required: boolean;
}

/** The policy for `request` under `config`. */
export function signaturePolicy(config: TrustConfig, request: PolicyRequest = {}): SignaturePolicy {
  const pinned = request.catalog !== undefined
    ? config.catalogs[catalogKey(request.catalog)]
    : undefined;
  const base = pinned ?? config.keys;
  const trusted = [...new Set([...base, ...(request.extraKeys ?? [])])];
  const required = request.requireSignature === true ||
    (!request.allowUnsigned && (config.requireSignature ?? trusted.length > 0));
  return { trusted, required };
}

/** The decision on one file: accepted (with the signer, when signed), or the error to throw. */
export type SignatureDecision =
  | { readonly accepted: true; readonly signer?: string; readonly warning?: string }
  | { readonly accepted: false; readonly error: Error };

/**
 * Decides on `file` under `policy`: `result` is the signature check against
 * the policy's trusted keys, `undefined` when the file has no signature.
 */
export function decideSignature(
  file: string,
  policy: SignaturePolicy,
  result: FileSignatureResult | undefined,
): SignatureDecision {
  if (!result) {
    return policy.required
      ? { accepted: false, error: new SignatureRequiredError(file) }
      : { accepted: true };
  }
  const signer = result.verdict.fingerprint;
  if (result.ok && signer && policy.trusted.includes(signer)) {
    return { accepted: true, signer, ...(result.warning ? { warning: result.warning } : {}) };
  }
  // a signature that is there must verify, as pacman's SigLevel Optional: only absence is optional
  const failure = result.failure ?? `signed by ${signer}, which is not trusted for this origin`;
  const untrusted = result.ok || result.verdict.status === "missingkey";
  return {
    accepted: false,
    error: new SignatureInvalidError([{ subject: file, cause: failure }], {
      hint: untrusted
        ? "trust the signer's key with `worker-provisioner keys import FILE` and `keys trust FINGERPRINT`, or pass --trusted-key FILE"
        : "the file or its signature changed after signing: fetch both again from the publisher",
    }),
  };
}
