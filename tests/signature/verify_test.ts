/**
 * verifyDetached() against gpg's own verdicts, on keys and signatures gpg
 * made: the status line gpg writes (`--status-fd`) and the verdict here
 * agree for good, expired signature, expired key, revoked key, bad and
 * unknown key, on bytes and on an 8 MiB stream.
 */

import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { parseKeys } from "../../src/signature/keyring.ts";
import { type SignatureStatus, verifyDetached } from "../../src/signature/verify.ts";
import { Gpg } from "./_gpg.ts";

const dir = await Deno.makeTempDir({ prefix: "wp-sig-verify-" });
const gpg = await Gpg.create(dir);
const good = await gpg.genKey("Good");
const old = await gpg.genKey("Old", { at: "20190101T000000" });
const expired = await gpg.genKey("Expired", { at: "20200101T000000", expire: "1y" });
const revoked = await gpg.genKey("Revoked");
const unknown = await gpg.genKey("Unknown");
const data = join(dir, "data");
await Deno.writeFile(data, new Uint8Array(8 << 20).map((_, i) => i % 253));

async function signature(fpr: string, options = {}): Promise<string> {
  const out = join(dir, `${crypto.randomUUID()}.sig`);
  await gpg.sign(fpr, data, out, options);
  return out;
}

/** gpg's verdict, as makepkg's parse_gpg_statusfile reads it. */
async function gpgStatus(sig: string, file: string): Promise<SignatureStatus> {
  const out = await new Deno.Command("gpg", {
    args: ["--batch", "--homedir", gpg.home, "--status-fd", "1", "--verify", sig, file],
    stdout: "piped",
    stderr: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const map: [RegExp, SignatureStatus][] = [
    [/ GOODSIG /, "good"],
    [/ EXPSIG /, "expired"],
    [/ EXPKEYSIG /, "expiredkey"],
    [/ REVKEYSIG /, "revokedkey"],
    [/ BADSIG /, "bad"],
    [/ ERRSIG .* 9 /, "missingkey"],
  ];
  return map.find(([re]) => re.test(text))?.[1] ?? "error";
}

const sigs = {
  good: await signature(good),
  expiredSig: await signature(old, { at: "20200601T000000", expire: "1d" }),
  expiredKey: await signature(expired, { at: "20200601T000000" }),
  revoked: await signature(revoked),
  unknown: await signature(unknown),
};
await gpg.revoke(revoked);
const keys = await parseKeys(await gpg.exportPublic(good, old, expired, revoked));
await gpg.run(["--batch", "--yes", "--delete-keys", unknown]).catch(() => {});
await gpg.run(["--yes", "--delete-secret-and-public-keys", unknown]).catch(() => {});

for (
  const [name, expected] of Object.entries(
    {
      good: "good",
      expiredSig: "expired",
      expiredKey: "expiredkey",
      revoked: "revokedkey",
      unknown: "missingkey",
    } as const,
  )
) {
  Deno.test(`verifyDetached() says ${expected} for ${name}, as gpg does, on an 8 MiB stream`, async () => {
    const sig = sigs[name as keyof typeof sigs];
    assertEquals(await gpgStatus(sig, data), expected);
    using file = await Deno.open(data);
    const verdict = await verifyDetached(file.readable, await Deno.readFile(sig), keys);
    assertEquals(verdict.status, expected);
  });
}

Deno.test("verifyDetached() says bad for changed bytes, as gpg does", async () => {
  const changed = join(dir, "changed");
  const bytes = await Deno.readFile(data);
  bytes[12345] ^= 0xff;
  await Deno.writeFile(changed, bytes);
  assertEquals(await gpgStatus(sigs.good, changed), "bad");
  const verdict = await verifyDetached(bytes, await Deno.readFile(sigs.good), keys);
  assertEquals([verdict.status, verdict.fingerprint], ["bad", good]);
});

globalThis.addEventListener("unload", () => {
  gpg.close();
  Deno.removeSync(dir, { recursive: true });
});
