/**
 * The signature commands end to end, under the compiled binary's permission
 * flags: `keys`, `sign`, `verify-signature`, and `--skippgpcheck` on `fetch`.
 * A package signed with a trusted key is accepted; the same package
 * re-signed by another key, and an unsigned one, are refused under
 * `--require-signature`.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { runCli } from "../cli/_cli.ts";
import { Gpg } from "./_gpg.ts";

const dir = await Deno.makeTempDir({ prefix: "wp-sig-cli-" });
const gpg = await Gpg.create(dir);
const good = await gpg.genKey("Good");
const other = await gpg.genKey("Other");
const state = join(dir, "state");
const file = (name: string) => join(dir, name);
await Deno.writeFile(file("good.pub.asc"), await gpg.exportPublic(good));
await Deno.writeFile(file("other.pub.asc"), await gpg.exportPublic(other));
await Deno.writeFile(file("good.sec.asc"), await gpg.exportSecret(good));
await Deno.writeFile(file("other.sec.asc"), await gpg.exportSecret(other));
const pkg = file("worker-1.0-1-x86_64.pkg.tar.zst");
await Deno.writeFile(pkg, new Uint8Array(300_000).map((_, i) => (i * 7919) % 251));

const cli = (...args: string[]) => runCli([...args, "--state-dir", state]);
const plain = (...args: string[]) => runCli(args);

Deno.test("keys import, list and trust keep the keyring and the trust file in the state directory", async () => {
  assertEquals((await cli("keys", "import", file("good.pub.asc"))).code, 0);
  assertEquals((await cli("keys", "import", file("other.pub.asc"))).code, 0);
  const trusted = await cli("keys", "trust", good);
  assertEquals(trusted.code, 0, trusted.stderr);
  const list = await cli("keys", "list");
  assertMatch(list.stdout, new RegExp(`^${good} \\[trusted\\]  Good <good@example.org>$`, "m"));
  assertMatch(list.stdout, new RegExp(`^${other}  Other <other@example.org>$`, "m"));
  const unknown = await cli("keys", "trust", "0".repeat(40));
  assertEquals(unknown.code, 3);
  assertStringIncludes(unknown.stderr, "keys import FILE");
});

Deno.test("sign writes a detached signature gpg verifies, and a node that trusts the key accepts it", async () => {
  const signed = await plain("sign", pkg, "--key", file("good.sec.asc"));
  assertEquals(signed.code, 0, signed.stderr);
  await gpg.run(["--verify", `${pkg}.sig`, pkg]); // throws unless gpg says good
  const verified = await cli("verify-signature", pkg, "--require-signature");
  assertEquals(verified.code, 0, verified.stderr);
  assertStringIncludes(verified.stdout, `good signature by ${good} (Good <good@example.org>)`);
});

Deno.test("the package re-signed by another key is refused under --require-signature", async () => {
  const out = file("resigned.sig");
  assertEquals((await plain("sign", pkg, "--key", file("other.sec.asc"), "--output", out)).code, 0);
  const refused = await cli("verify-signature", pkg, "--signature", out, "--require-signature");
  assertEquals(refused.code, 5);
  assertMatch(refused.stderr, new RegExp(`signed by ${other}, which is not a trusted key`));
});

Deno.test("an unsigned package is refused once a key is trusted, unless --allow-unsigned", async () => {
  const unsigned = file("unsigned.pkg.tar.zst");
  await Deno.copyFile(pkg, unsigned);
  const refused = await cli("verify-signature", unsigned, "--require-signature");
  assertEquals(refused.code, 5);
  assertStringIncludes(refused.stderr, `${unsigned} is not signed`);
  assertEquals((await cli("verify-signature", unsigned)).code, 5, "default on: a key is trusted");
  assertEquals((await cli("verify-signature", unsigned, "--allow-unsigned")).code, 0);
  const both = await cli("verify-signature", unsigned, "--allow-unsigned", "--require-signature");
  assertEquals(both.code, 5);
});

Deno.test("a tampered package is refused as a bad signature", async () => {
  const tampered = file("tampered.pkg.tar.zst");
  const bytes = await Deno.readFile(pkg);
  bytes[1000] ^= 1;
  await Deno.writeFile(tampered, bytes);
  const refused = await cli("verify-signature", tampered, "--signature", `${pkg}.sig`);
  assertEquals(refused.code, 5);
  assertStringIncludes(refused.stderr, `bad signature from public key ${good}`);
});

Deno.test("--trusted-key trusts a key for one run; a catalog pin narrows trust to its keys", async () => {
  const empty = join(dir, "empty-state");
  const once = await runCli([
    "verify-signature",
    pkg,
    "--state-dir",
    empty,
    "--trusted-key",
    file("good.pub.asc"),
  ]);
  assertEquals(once.code, 0, once.stderr);
  const url = "http://catalog.example.org/";
  assertEquals((await cli("keys", "trust", other, "--for-catalog", url)).code, 0);
  const pinned = await cli("verify-signature", pkg, "--for-catalog", "http://catalog.example.org");
  assertEquals(pinned.code, 5, "good is trusted in general but not pinned for this catalog");
  const byOther = await cli(
    "verify-signature",
    pkg,
    "--signature",
    file("resigned.sig"),
    "--for-catalog",
    url,
  );
  assertEquals(byOther.code, 0, byOther.stderr);
});

Deno.test("fetch refuses a tampered signed source, and --skippgpcheck skips the check", async () => {
  const recipe = join(dir, "recipe");
  await Deno.mkdir(recipe, { recursive: true });
  await Deno.writeTextFile(join(recipe, "data.txt"), "data\n");
  await gpg.sign(good, join(recipe, "data.txt"), join(recipe, "data.txt.sig"));
  await Deno.writeTextFile(join(recipe, "data.txt"), "tampered\n");
  await Deno.writeTextFile(
    join(recipe, "PKGBUILD"),
    `pkgname=s\npkgver=1\npkgrel=1\narch=(any)\nsource=(data.txt data.txt.sig)\nsha256sums=(SKIP SKIP)\nvalidpgpkeys=(${good})\npackage() { :; }\n`,
  );
  const cache = join(dir, "cache");
  const refused = await cli("fetch", recipe, "--cache-dir", cache);
  assertEquals(refused.code, 5, refused.stderr);
  assertStringIncludes(refused.stderr, `data.txt: bad signature from public key ${good}`);
  const skipped = await cli("fetch", recipe, "--cache-dir", cache, "--skippgpcheck");
  assertEquals(skipped.code, 0, skipped.stderr);
});

Deno.test("keys remove drops the key and its trust", async () => {
  const removed = await cli("keys", "remove", other.toLowerCase());
  assertEquals(removed.code, 0, removed.stderr);
  const trust = JSON.parse(await Deno.readTextFile(join(state, "trust.json")));
  assertEquals(trust.catalogs, {});
  assert(!(await cli("keys", "list")).stdout.includes(other));
});

globalThis.addEventListener("unload", () => {
  gpg.close();
  Deno.removeSync(dir, { recursive: true });
});
