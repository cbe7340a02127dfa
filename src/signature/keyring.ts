/**
 * The provisioner's OpenPGP keyring: one armored public key per file,
 * `STATE/keys/<FINGERPRINT>.asc`, as pacman keeps its keyring under its
 * database directory. `keys import FILE` adds (or merges, so a later
 * revocation reaches a key already imported), `keys list` describes,
 * `keys remove FPR` deletes. Only public material is ever stored: a secret
 * key given to `import` is stored as its public part.
 *
 * @module
 */

import { join } from "node:path";
import { openpgp, type PublicKey } from "./_openpgp.ts";
import { KeyInvalidError, KeyNotFoundError } from "./errors.ts";

export { keyringDir } from "./paths.ts";

/** What `keys list` shows of one key. */
export interface KeyInfo {
  /** The primary key's fingerprint, upper-case hex. */
  readonly fingerprint: string;
  /** Its user ids, primary first. */
  readonly userIds: readonly string[];
  /** When the key was made (ISO 8601). */
  readonly created: string;
  /** When it expires (ISO 8601), or `null` when it never does. */
  readonly expires: string | null;
  /** Whether it carries a revocation. */
  readonly revoked: boolean;
}

/** The armored key blocks of `text` (a file may hold several, one after another). */
const ARMORED_KEY =
  /-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP \1 KEY BLOCK-----/g;

/** Parses every key of `bytes` (armored blocks or binary, public or secret) as public keys. */
export async function parseKeys(bytes: Uint8Array, file = "key data"): Promise<PublicKey[]> {
  const text = new TextDecoder().decode(bytes);
  const blocks = text.match(ARMORED_KEY);
  try {
    if (!blocks) return (await openpgp.readKeys({ binaryKeys: bytes })).map((k) => k.toPublic());
    const keys: PublicKey[] = [];
    for (const armoredKeys of blocks) {
      keys.push(...(await openpgp.readKeys({ armoredKeys })).map((k) => k.toPublic()));
    }
    return keys;
  } catch (error) {
    throw new KeyInvalidError(file, firstLine(error), { cause: error });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** Describes `key` for listings. */
export async function describeKey(key: PublicKey): Promise<KeyInfo> {
  const expiry = await key.getExpirationTime();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    created: key.getCreationTime().toISOString(),
    expires: expiry instanceof Date ? expiry.toISOString() : null,
    revoked: await key.isRevoked(undefined, undefined, new Date(8.64e15)),
  };
}

/** Reads every key of the keyring in `dir` (none when it does not exist), sorted by fingerprint. */
export async function loadKeyring(dir: string): Promise<PublicKey[]> {
  let names: string[];
  try {
    names = (await Array.fromAsync(Deno.readDir(dir)))
      .filter((e) => e.isFile && e.name.endsWith(".asc"))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const keys: PublicKey[] = [];
  for (const name of names) {
    keys.push(...await parseKeys(await Deno.readFile(join(dir, name)), join(dir, name)));
  }
  return keys;
}

/** Imports every key of `bytes` into the keyring in `dir`, merging with a key already there. */
export async function importKeys(dir: string, bytes: Uint8Array, file: string): Promise<KeyInfo[]> {
  const keys = await parseKeys(bytes, file);
  if (keys.length === 0) throw new KeyInvalidError(file, "it holds no key");
  await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
  const out: KeyInfo[] = [];
  for (const key of keys) {
    const fingerprint = key.getFingerprint().toUpperCase();
    const path = join(dir, `${fingerprint}.asc`);
    const existing = await readKeyFile(path);
    const merged = existing ? await existing.update(key) : key;
    const temp = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(temp, merged.armor(), { mode: 0o644 });
    await Deno.rename(temp, path);
    out.push(await describeKey(merged));
  }
  return out;
}

async function readKeyFile(path: string): Promise<PublicKey | undefined> {
  try {
    return (await parseKeys(await Deno.readFile(path), path))[0];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Lists the keys of the keyring in `dir`. */
export async function listKeys(dir: string): Promise<KeyInfo[]> {
  return await Promise.all((await loadKeyring(dir)).map(describeKey));
}

/** Normalizes a fingerprint as typed (spaces, `0x`, lower case) to 40 or 64 upper-case hex digits. */
export function normalizeFingerprint(text: string): string | undefined {
  const hexDigits = text.replace(/\s+/g, "").replace(/^0x/i, "").toUpperCase();
  return /^([0-9A-F]{40}|[0-9A-F]{64})$/.test(hexDigits) ? hexDigits : undefined;
}

/** Removes the key `fingerprint` from the keyring in `dir`; returns what it removed. */
export async function removeKey(dir: string, fingerprint: string): Promise<KeyInfo> {
  const fpr = normalizeFingerprint(fingerprint);
  if (!fpr) {
    throw new KeyNotFoundError(fingerprint, "not a full fingerprint (40 or 64 hex digits)", {
      hint: "`keys list` shows the fingerprints",
    });
  }
  const path = join(dir, `${fpr}.asc`);
  const key = await readKeyFile(path);
  if (!key) {
    throw new KeyNotFoundError(fpr, "no such key in the keyring", {
      hint: "`keys list` shows the keys",
    });
  }
  const info = await describeKey(key);
  await Deno.remove(path);
  return info;
}
