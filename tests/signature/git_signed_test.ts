import { assert, assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { importKeys } from "../../src/signature/keyring.ts";
import {
  readSignedGitObject,
  splitCommitObject,
  splitTagObject,
} from "../../src/signature/git_signed.ts";
import { loadKeyring } from "../../src/signature/keyring.ts";
import { verifyDetached } from "../../src/signature/verify.ts";
import { CancelledError } from "../../src/errors.ts";
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
  const known = await loadKeyring(keyring);
  assertEquals((await verifyDetached(split.payload, split.signature, known)).status, "good");
  const forged = new TextEncoder().encode(payload.replace("signed commit", "forged commit"));
  assertEquals((await verifyDetached(forged, split.signature, known)).status, "bad");
});

Deno.test("?signed git source: a signed commit whose message is ISO-8859-1, not UTF-8, verifies byte for byte", async () => {
  const repo = join(root, "latin1-repo");
  await Deno.mkdir(repo);
  const git = (...args: string[]) =>
    new Deno.Command("git", {
      args: [
        "-c",
        `user.signingkey=${keys.good}`,
        "-c",
        "user.name=Good",
        "-c",
        "user.email=good@example.org",
        ...args,
      ],
      cwd: repo,
      env: { GNUPGHOME: gpg.home, HOME: repo, GIT_CONFIG_NOSYSTEM: "1" },
      stdout: "null",
      stderr: "null",
    }).output();
  await git("init", "-q", "-b", "main");
  await Deno.writeFile(join(repo, "msg"), new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in latin-1
  assert(
    (await git(
      "-c",
      "i18n.commitEncoding=ISO-8859-1",
      "commit",
      "-q",
      "-S",
      "--allow-empty",
      "-F",
      "msg",
    )).success,
  );
  const signed = await readSignedGitObject(repo, { kind: "commit", ref: "HEAD" });
  assert(signed && signed.payload.includes(0xe9), "the payload keeps the latin-1 byte");
  const known = await loadKeyring(keyring);
  assertEquals((await verifyDetached(signed.payload, signed.signature, known)).status, "good");
});

Deno.test("readSignedGitObject() stops with CANCELLED when its signal is aborted", async () => {
  const controller = new AbortController();
  controller.abort();
  await assertRejects(
    () =>
      readSignedGitObject(join(root, "signed-repo"), { kind: "tag", ref: "v1" }, controller.signal),
    CancelledError,
  );
});

Deno.test("splitTagObject() leaves an unsigned tag alone and cuts a signed one before its armor", () => {
  assertEquals(splitTagObject("object x\ntype commit\ntag v2\n\nmessage\n"), undefined);
  const split = splitTagObject(
    "tag v1\n\nmsg\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n",
  )!;
  assertEquals(new TextDecoder().decode(split.payload), "tag v1\n\nmsg\n");
  assertMatch(new TextDecoder().decode(split.signature), /^-----BEGIN PGP SIGNATURE-----\n/);
  const quoting =
    "tag v1\n\n-----BEGIN PGP SIGNATURE-----\nquoted\n-----BEGIN PGP SIGNATURE-----\nx\n";
  assertEquals(
    new TextDecoder().decode(splitTagObject(quoting)!.signature),
    "-----BEGIN PGP SIGNATURE-----\nx\n",
  );
});

globalThis.addEventListener("unload", () => {
  gpg.close();
  Deno.removeSync(root, { recursive: true });
});
