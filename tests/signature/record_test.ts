/**
 * The record keeps who signed each source, and `verify` re-checks those
 * signatures while their data is there: an install of a recipe with a
 * signed source, then the signed file changed, then the key removed.
 */

import { assert, assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { WorkerProvisioner } from "../../src/provision/provisioner.ts";
import { readRecord } from "../../src/provision/record.ts";
import { importKeys, keyringDir, removeKey } from "../../src/signature/keyring.ts";
import { Gpg } from "./_gpg.ts";

async function world() {
  const dir = await Deno.makeTempDir({ prefix: "wp-sig-record-" });
  const gpg = await Gpg.create(dir);
  const fpr = await gpg.genKey("Good");
  const recipe = join(dir, "recipe");
  await Deno.mkdir(recipe);
  await Deno.writeTextFile(join(recipe, "data.txt"), "signed data\n");
  await gpg.sign(fpr, join(recipe, "data.txt"), join(recipe, "data.txt.sig"));
  await Deno.writeTextFile(
    join(recipe, "PKGBUILD"),
    `pkgname=sigworker
pkgver=1.0
pkgrel=1
arch=(any)
source=(data.txt data.txt.sig)
sha256sums=(SKIP SKIP)
validpgpkeys=(${fpr})
package() { install -Dm644 "$srcdir/data.txt" "$pkgdir/usr/share/sigworker/data.txt"; }
`,
  );
  const root = join(dir, "root");
  await Deno.mkdir(root);
  const provisioner = new WorkerProvisioner({ root, cacheDir: join(dir, "cache") });
  const stateDir = join(root, "var/lib/worker-provisioner");
  return { dir, gpg, fpr, recipe, provisioner, stateDir, root };
}

Deno.test("install records the signer of a signed source; verify re-checks it", async () => {
  const w = await world();
  try {
    await assertRejects(
      () => w.provisioner.provision(w.recipe),
      Error,
      `unknown public key ${w.fpr}`,
    );
    await importKeys(keyringDir(w.stateDir), await w.gpg.exportPublic(w.fpr), "good.asc");
    await w.provisioner.provision(w.recipe);
    const record = await readRecord(w.stateDir, "sigworker", w.root);
    assertEquals(record?.signatures?.map((s) => [s.subject, s.fingerprint, s.status]), [
      ["data.txt", w.fpr, "good"],
    ]);
    const ok = await w.provisioner.verify("sigworker");
    assert(ok.ok);
    assertEquals(ok.signatures, { checked: 1, skipped: 0 });

    await Deno.writeTextFile(join(w.recipe, "data.txt"), "changed after install\n");
    const changed = await w.provisioner.verify("sigworker");
    assertEquals(changed.ok, false);
    assertEquals(changed.problems.map((p) => [p.kind, p.path]), [["signature", "data.txt"]]);
    assertMatch(changed.problems[0].actual!, new RegExp(`bad signature from public key ${w.fpr}`));

    await removeKey(keyringDir(w.stateDir), w.fpr);
    const unknown = await w.provisioner.verify("sigworker");
    assertMatch(unknown.problems[0].actual!, /unknown public key/);

    await Deno.remove(join(w.recipe, "data.txt.sig"));
    const gone = await w.provisioner.verify("sigworker");
    assert(gone.ok, "a signature no longer there is skipped, not failed");
    assertEquals(gone.signatures, { checked: 0, skipped: 1 });
  } finally {
    w.gpg.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("a record without signatures verifies as before, with no signature counts", async () => {
  const w = await world();
  try {
    await w.provisioner.provision(w.recipe).catch(() => {});
    const { provisioner } = w;
    await Deno.writeTextFile(
      join(w.recipe, "PKGBUILD"),
      (await Deno.readTextFile(join(w.recipe, "PKGBUILD"))).replace(
        "source=(data.txt data.txt.sig)\nsha256sums=(SKIP SKIP)",
        "source=(data.txt)\nsha256sums=(SKIP)",
      ),
    );
    await provisioner.provision(w.recipe);
    const report = await provisioner.verify("sigworker");
    assert(report.ok);
    assertEquals(report.signatures, undefined);
    assertEquals((await readRecord(w.stateDir, "sigworker", w.root))?.signatures, undefined);
  } finally {
    w.gpg.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});
