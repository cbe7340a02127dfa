import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import {
  importKeys,
  listKeys,
  loadKeyring,
  normalizeFingerprint,
  removeKey,
} from "../../src/signature/keyring.ts";
import { KeyInvalidError, KeyNotFoundError } from "../../src/signature/errors.ts";
import { Gpg } from "./_gpg.ts";

const dir = await Deno.makeTempDir({ prefix: "wp-sig-keyring-" });
const gpg = await Gpg.create(dir);
const a = await gpg.genKey("Alice");
const b = await gpg.genKey("Bob", { at: "20200101T000000", expire: "1y" });

Deno.test("importKeys() stores each key of a file as public <FPR>.asc, never secret material", async () => {
  const keyring = join(dir, "k1");
  const both = new Uint8Array([...await gpg.exportSecret(a), ...await gpg.exportPublic(b)]);
  const imported = await importKeys(keyring, both, "both.asc");
  assertEquals(imported.map((k) => k.fingerprint), [a, b]);
  const names = (await Array.fromAsync(Deno.readDir(keyring))).map((e) => e.name).sort();
  assertEquals(names, [`${a}.asc`, `${b}.asc`].sort());
  const stored = await Deno.readTextFile(join(keyring, `${a}.asc`));
  assert(stored.includes("BEGIN PGP PUBLIC KEY BLOCK"));
  assert(!stored.includes("PRIVATE"));
  const listed = await listKeys(keyring);
  const bob = listed.find((k) => k.fingerprint === b)!;
  assertEquals([bob.expires, bob.revoked], ["2020-12-31T00:00:00.000Z", false]);
  assertEquals(listed.find((k) => k.fingerprint === a)?.userIds, ["Alice <alice@example.org>"]);
});

Deno.test("importing a key again merges: its revocation reaches the stored key", async () => {
  const home = join(dir, "revoker");
  await Deno.mkdir(home);
  const other = await Gpg.create(home);
  try {
    const c = await other.genKey("Carol");
    const keyring = join(dir, "k2");
    await importKeys(keyring, await other.exportPublic(c), "carol.asc");
    assertEquals((await listKeys(keyring))[0].revoked, false);
    await other.revoke(c);
    await importKeys(keyring, await other.exportPublic(c), "carol-revoked.asc");
    assertEquals((await listKeys(keyring)).map((k) => [k.fingerprint, k.revoked]), [[c, true]]);
  } finally {
    other.close();
  }
});

Deno.test("removeKey() takes a fingerprint as typed and refuses what is not in the keyring", async () => {
  const keyring = join(dir, "k3");
  await importKeys(keyring, await gpg.exportPublic(a), "a.asc");
  await assertRejects(() => removeKey(keyring, b), KeyNotFoundError, "no such key");
  await assertRejects(() => removeKey(keyring, "ABCD"), KeyNotFoundError, "not a full fingerprint");
  const spaced = a.toLowerCase().replace(/(.{4})/g, "$1 ");
  assertEquals((await removeKey(keyring, spaced)).fingerprint, a);
  assertEquals(await loadKeyring(keyring), []);
  assertEquals(normalizeFingerprint(`0x${a.toLowerCase()}`), a);
});

Deno.test("importKeys() refuses a file that holds no key, naming the file", async () => {
  await assertRejects(
    () => importKeys(join(dir, "k4"), new TextEncoder().encode("hello\n"), "notes.txt"),
    KeyInvalidError,
    "notes.txt is not an OpenPGP key",
  );
  assertEquals(await loadKeyring(join(dir, "absent")), []);
});

globalThis.addEventListener("unload", () => {
  gpg.close();
  Deno.removeSync(dir, { recursive: true });
});
