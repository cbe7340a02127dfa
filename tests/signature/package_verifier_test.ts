/**
 * `packageSignatureVerifier` in process, keys made with Debian's gnupg:
 * where it looks for a signature, how it decides on a registry's signatures
 * (one trusted signature among others suffices; a manifest that does not
 * name the package is refused), and that an expired key passes with a
 * warning, as makepkg's checks do.
 */

import { assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  packageSignatureVerifier,
  signatureLocation,
} from "../../src/signature/package_verifier.ts";
import { SignatureInvalidError, SignatureRequiredError } from "../../src/signature/errors.ts";
import { parseKeys } from "../../src/signature/keyring.ts";
import { readSigningKey, signBytes } from "../../src/signature/package.ts";
import type { PackageManifest } from "../../src/package/manifest.ts";
import type { RegistrySignatures, VerifiablePackage } from "../../src/package/verify.ts";
import { Gpg } from "./_gpg.ts";

const haveGpg = new Deno.Command("sh", { args: ["-c", "command -v gpg"] }).outputSync().success;
const dir = await Deno.makeTempDir({ prefix: "wp-sig-verifier-" });
const state = join(dir, "state");

async function setup() {
  const gpg = await Gpg.create(dir);
  const publisher = await gpg.genKey("Publisher");
  const intruder = await gpg.genKey("Intruder");
  const expired = await gpg.genKey("Expired", { at: "20200101T000000", expire: "1y" });
  const secret = async (fpr: string) =>
    await readSigningKey(await gpg.exportSecret(fpr), `${fpr}.asc`);
  const pub = async (fpr: string) => await parseKeys(await gpg.exportPublic(fpr));
  return {
    gpg,
    publisher,
    expired,
    keys: { publisher: await pub(publisher), expired: await pub(expired) },
    secrets: { publisher: await secret(publisher), intruder: await secret(intruder) },
  };
}
const ready = haveGpg ? await setup() : undefined;

const pkgBytes = new TextEncoder().encode("package bytes\n".repeat(100));
const pkgPath = join(dir, "w-1.0-1-x86_64.pkg.tar.zst");
await Deno.writeFile(pkgPath, pkgBytes);
const sha256 = createHash("sha256").update(pkgBytes).digest("hex");

function pkg(registrySignatures?: RegistrySignatures): VerifiablePackage {
  return {
    path: pkgPath,
    origin: pkgPath,
    sha256,
    manifest: {} as PackageManifest,
    ...(registrySignatures ? { registrySignatures } : {}),
  };
}

function registry(manifestText: string, signatures: Uint8Array[]): RegistrySignatures {
  const manifest = new TextEncoder().encode(manifestText);
  const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
  return {
    reference: "oci://127.0.0.1:1/rbee/w:1.0-1",
    manifest,
    manifestDigest: digest,
    signatures,
  };
}

Deno.test("the signature of a package file is FILE.sig, of a URL the URL's path plus .sig", () => {
  assertEquals(
    signatureLocation("/tmp/x.pkg.tar.zst", "/tmp/x.pkg.tar.zst"),
    "/tmp/x.pkg.tar.zst.sig",
  );
  assertEquals(
    signatureLocation("http://h:1/d/x.pkg.tar.zst?t=1", "/build/x.pkg.tar.zst"),
    "http://h:1/d/x.pkg.tar.zst.sig?t=1",
  );
});

Deno.test({
  name:
    "registry signatures: one by a trusted key among others is accepted; only others are refused",
  ignore: !ready,
  async fn() {
    const { keys, secrets, publisher } = ready!;
    const text = JSON.stringify({ layers: [{ digest: `sha256:${sha256}` }] });
    const manifest = new TextEncoder().encode(text);
    const byIntruder = await signBytes(manifest, secrets.intruder);
    const byPublisher = await signBytes(manifest, secrets.publisher);
    const verify = packageSignatureVerifier({ stateDir: state, trustedKeys: keys.publisher });
    assertEquals(await verify(pkg(registry(text, [byIntruder, byPublisher]))), {
      signer: publisher,
    });
    const refused = await assertRejects(
      async () => await verify(pkg(registry(text, [byIntruder]))),
      SignatureInvalidError,
    );
    assertStringIncludes(refused.message, "oci://127.0.0.1:1/rbee/w:1.0-1");
    await assertRejects(async () => await verify(pkg(registry(text, []))), SignatureRequiredError);
    // nothing trusted, nothing required: an unsigned package passes, with no signer
    assertEquals(await packageSignatureVerifier({ stateDir: state })(pkg(registry(text, []))), {});
  },
});

Deno.test({
  name: "a signed manifest that does not name the package's digest is refused",
  ignore: !ready,
  async fn() {
    const { keys, secrets } = ready!;
    const text = JSON.stringify({ layers: [{ digest: `sha256:${"0".repeat(64)}` }] });
    const signature = await signBytes(new TextEncoder().encode(text), secrets.publisher);
    const verify = packageSignatureVerifier({ stateDir: state, trustedKeys: keys.publisher });
    const error = await assertRejects(
      async () => await verify(pkg(registry(text, [signature]))),
      SignatureInvalidError,
    );
    assertStringIncludes(error.message, `does not name the package's digest sha256:${sha256}`);
  },
});

Deno.test({
  name: "a package file signed by a key that has expired since is accepted with a warning",
  ignore: !ready,
  async fn() {
    const { gpg, keys, expired } = ready!;
    await gpg.sign(expired, pkgPath, `${pkgPath}.sig`, { at: "20200601T000000" });
    const warnings: string[] = [];
    const verify = packageSignatureVerifier({
      stateDir: state,
      trustedKeys: keys.expired,
      onWarning: (w) => warnings.push(w),
    });
    assertEquals(await verify(pkg()), { signer: expired });
    assertEquals(warnings.length, 1);
    assertStringIncludes(warnings[0], "the key has expired");
    await Deno.remove(`${pkgPath}.sig`);
    await assertRejects(async () => await verify(pkg()), SignatureRequiredError);
  },
});

Deno.test({
  name: "the verifier work directory is removed",
  fn: async () => {
    ready?.gpg.close();
    await Deno.remove(dir, { recursive: true });
  },
});
