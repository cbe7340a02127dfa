/**
 * worker-provisioner and makepkg judge the same signed recipes, made with
 * gnupg, and agree on every verdict: pass, pass with the same warning, or
 * fail for the same cause. makepkg runs as `builder` with its keyring in
 * GNUPGHOME (about 1 s per recipe).
 */

import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { importKeys } from "../../src/signature/keyring.ts";
import { makeScenarios } from "./_scenarios.ts";
import { makeGitScenarios } from "./_git_scenarios.ts";
import { judgeRecipe } from "./_judge.ts";
import { builderKeyring, makepkgAvailable, makepkgVerifySource } from "./_makepkg.ts";

/** makepkg's words for each scenario's cause or warning. */
const MAKEPKG_SAYS: Record<string, RegExp> = {
  "good": /data\.txt \.\.\. Passed\n/,
  "good-armored-asc": /data\.txt \.\.\. Passed\n/,
  "good-subkey": /data\.txt \.\.\. Passed\n/,
  "good-of-gzip": /data\.txt \.\.\. Passed\n/,
  "expired-key": /Passed \(WARNING: the key has expired\.\)/,
  "expired-signature": /Passed \(WARNING: the signature has expired\.\)/,
  "tampered": /FAILED \(bad signature from public key/,
  "not-in-validpgpkeys": /FAILED \(invalid public key [0-9A-F]{40}\)/,
  "revoked": /FAILED \(public key [0-9A-F]{16,40} has been revoked\)/,
  "unknown-key": /FAILED \(unknown public key [0-9A-F]{16,40}\)/,
  "missing-signature-file": /data\.txt\.sig was not found/,
  "no-validpgpkeys": /FAILED \(the public key [0-9A-F]{40} is not trusted\)/,
  "garbage-signature": /data\.txt \.\.\. FAILED/,
  "git-signed-tag": /repo git repo \.\.\. Passed\n/,
  "git-signed-commit": /repo git repo \.\.\. Passed\n/,
  "git-signed-branch-head": /repo git repo \.\.\. Passed\n/,
  "git-unsigned-annotated-tag": /repo git repo \.\.\. SIGNATURE NOT FOUND/,
  "git-lightweight-tag": /repo git repo \.\.\. SIGNATURE NOT FOUND/,
  "git-tag-by-other-key": /repo git repo \.\.\. FAILED \(invalid public key [0-9A-F]{40}\)/,
  "git-unsigned-branch": /repo git repo \.\.\. SIGNATURE NOT FOUND/,
};

const available = makepkgAvailable();
const root = await Deno.makeTempDir({ prefix: "wp-sig-agree-" });
await Deno.chmod(root, 0o755);
const set = available ? await makeScenarios(root) : undefined;
const scenarios = set
  ? [
    ...set.scenarios,
    ...await makeGitScenarios(root, set.gpg, set.keys as { good: string; other: string }),
  ]
  : [];
const gnupgHome = set ? await builderKeyring(root, set.knownKeys) : "";
const keyring = join(root, "keyring");
if (set) await importKeys(keyring, set.knownKeys, "known.asc");

/** Runs `job` for every scenario, at most 3 at a time (makepkg is ~1 s of mostly waiting). */
function limited<T>(names: string[], job: (name: string) => Promise<T>): Map<string, Promise<T>> {
  let running = 0;
  const queue: (() => void)[] = [];
  const slot = async <R>(fn: () => Promise<R>): Promise<R> => {
    if (running >= 3) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
  return new Map(names.map((name) => [name, slot(() => job(name))]));
}

const verdicts = available
  ? limited(Object.keys(MAKEPKG_SAYS), async (name) => {
    const scenario = scenarios.find((s) => s.name === name)!;
    return await Promise.all([
      judgeRecipe(scenario.dir, join(root, `cache-${name}`), keyring),
      makepkgVerifySource(scenario.dir, gnupgHome),
    ]);
  })
  : new Map();

for (const name of Object.keys(MAKEPKG_SAYS)) {
  Deno.test({
    name: `makepkg --verifysource and worker-provisioner agree: ${name}`,
    ignore: !available,
    fn: async () => {
      const scenario = scenarios.find((s) => s.name === name)!;
      const [ours, theirs] = await verdicts.get(name)!;
      assertEquals(ours.ok, theirs.ok, `ours: ${ours.error?.message}\nmakepkg: ${theirs.log}`);
      assertEquals(ours.ok, scenario.ok);
      assertMatch(theirs.log, MAKEPKG_SAYS[name]);
      if (!scenario.ok) assertMatch(ours.error!.message, scenario.cause!);
    },
  });
}

Deno.test("every scenario is judged by makepkg too", () => {
  if (!set) return;
  assertEquals(scenarios.map((s) => s.name).sort(), Object.keys(MAKEPKG_SAYS).sort());
});

globalThis.addEventListener("unload", () => {
  set?.gpg.close();
  if (gnupgHome) {
    new Deno.Command("runuser", {
      args: ["-u", "builder", "--", "gpgconf", "--homedir", gnupgHome, "--kill", "all"],
    }).outputSync();
  }
  Deno.removeSync(root, { recursive: true });
});
