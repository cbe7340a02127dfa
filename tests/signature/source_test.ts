import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { importKeys } from "../../src/signature/keyring.ts";
import { makeScenarios } from "./_scenarios.ts";
import { judgeRecipe } from "./_judge.ts";

const root = await Deno.makeTempDir({ prefix: "wp-sig-source-" });
const set = await makeScenarios(root);
const keyring = join(root, "keyring");
await importKeys(keyring, set.knownKeys, "known.asc");

for (const scenario of set.scenarios) {
  Deno.test(`source signatures: ${scenario.name} is ${scenario.ok ? "accepted" : "refused"}`, async () => {
    const judged = await judgeRecipe(scenario.dir, join(root, `cache-${scenario.name}`), keyring);
    assertEquals(judged.ok, scenario.ok, judged.error?.message);
    if (!scenario.ok) {
      assertMatch(judged.error!.message, scenario.cause!);
      return;
    }
    const warnings = judged.events.filter((e) => e.type === "source.warning");
    if (scenario.warning) {
      assertEquals(warnings.length, 1);
      assertMatch((warnings[0] as { message: string }).message, scenario.warning);
    } else assertEquals(warnings, []);
    const signed = judged.fetched!.filter((f) => f.signature);
    assertEquals(signed.length, 1);
    assert(/^[0-9A-F]{40}$/.test(signed[0].signature!.fingerprint));
    assert(judged.events.some((e) => e.type === "source.verified" && e.algorithms[0] === "pgp"));
  });
}

Deno.test("source signatures: a missing key names the fingerprint and `keys import`", async () => {
  const scenario = set.scenarios.find((s) => s.name === "unknown-key")!;
  const judged = await judgeRecipe(scenario.dir, join(root, "cache-hint"), keyring);
  const error = judged.error as Error & { code: string; hint: string };
  assertEquals(error.code, "SIGNATURE_INVALID");
  assertMatch(error.hint, new RegExp(`${set.keys.unknown}.*worker-provisioner keys import FILE`));
});

Deno.test("source signatures: without a keyring every signer is unknown", async () => {
  const scenario = set.scenarios.find((s) => s.name === "good")!;
  const judged = await judgeRecipe(scenario.dir, join(root, "cache-nokeys"), undefined);
  assertMatch(judged.error!.message, new RegExp(`unknown public key ${set.keys.good}`));
});

Deno.test("source signatures: --skippgpcheck skips a failing check, as makepkg's", async () => {
  const scenario = set.scenarios.find((s) => s.name === "tampered")!;
  const judged = await judgeRecipe(scenario.dir, join(root, "cache-skip"), keyring, {
    skipPgpCheck: true,
  });
  assert(judged.ok, judged.error?.message);
  assertEquals(judged.fetched!.filter((f) => f.signature), []);
});

Deno.test("source signatures: every failure is named, not only the first", async () => {
  const judged = await judgeRecipe(
    set.scenarios.find((s) => s.name === "revoked")!.dir,
    join(root, "c1"),
    keyring,
  );
  assertEquals((judged.error as unknown as { failures: unknown[] }).failures.length, 1);
});

globalThis.addEventListener("unload", () => {
  set.gpg.close();
  Deno.removeSync(root, { recursive: true });
});
