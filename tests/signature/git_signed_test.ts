import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { importKeys } from "../../src/signature/keyring.ts";
import { splitCommitObject, splitTagObject } from "../../src/signature/git_signed.ts";
import { Gpg } from "./_gpg.ts";
import { makeGitScenarios } from "./_git_scenarios.ts";
import { judgeRecipe } from "./_judge.ts";

const root = await Deno.makeTempDir({ prefix: "wp-sig-git-" });
const gpg = await Gpg.create(root);
const keys = { good: await gpg.genKey("Good"), other: await gpg.genKey("Other") };
const scenarios = await makeGitScenarios(root, gpg, keys);
const keyring = join(root, "keyring");
await importKeys(keyring, await gpg.exportPublic(), "known.asc");

for (const scenario of scenarios) {
  Deno.test(`?signed git source: ${scenario.name} is ${scenario.ok ? "accepted" : "refused"}`, async () => {
    const judged = await judgeRecipe(scenario.dir, join(root, `cache-${scenario.name}`), keyring);
    assertEquals(judged.ok, scenario.ok, judged.error?.message);
    if (scenario.ok) {
      const signed = judged.fetched!.find((f) => f.signature);
      assertEquals(signed?.signature?.fingerprint, keys.good);
      assertEquals(signed?.signature?.subject, "repo git repo");
    } else assertMatch(judged.error!.message, scenario.cause!);
  });
}

Deno.test("?signed git source: a commit signed by the key but tampered after is refused", async () => {
  const repo = join(root, "signed-repo");
  const show = await new Deno.Command("git", { args: ["cat-file", "commit", "main"], cwd: repo })
    .output();
  const text = new TextDecoder().decode(show.stdout);
  const split = splitCommitObject(text)!;
  const payload = new TextDecoder().decode(split.payload);
  assert(!payload.includes("gpgsig"), "the signature header is not part of the payload");
  assertMatch(payload, /\n\nsigned commit\n$/);
  const { verifyDetached } = await import("../../src/signature/verify.ts");
  const { loadKeyring } = await import("../../src/signature/keyring.ts");
  const known = await loadKeyring(keyring);
  assertEquals((await verifyDetached(split.payload, split.signature, known)).status, "good");
  const forged = new TextEncoder().encode(payload.replace("signed commit", "forged commit"));
  assertEquals((await verifyDetached(forged, split.signature, known)).status, "bad");
});

Deno.test("splitTagObject() leaves an unsigned tag alone and cuts a signed one before its armor", () => {
  assertEquals(splitTagObject("object x\ntype commit\ntag v2\n\nmessage\n"), undefined);
  const split = splitTagObject(
    "tag v1\n\nmsg\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n",
  )!;
  assertEquals(new TextDecoder().decode(split.payload), "tag v1\n\nmsg\n");
  assertMatch(new TextDecoder().decode(split.signature), /^-----BEGIN PGP SIGNATURE-----\n/);
});

globalThis.addEventListener("unload", () => {
  gpg.close();
  Deno.removeSync(root, { recursive: true });
});
