import { assertEquals, assertThrows } from "../_assert.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  buildSignatureArtifact,
  descriptorOf,
  EMPTY_CONFIG,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  parseSignatureArtifact,
  referrersFallbackTag,
  referrersPath,
  SIGNATURE_ARTIFACT_TYPE,
  SignatureArtifactInvalidError,
  signatureReferrers,
} from "../../src/signature/oci.ts";
import { readSigningKey, signBytes, verifyManifestSignature } from "../../src/signature/package.ts";
import { parseKeys } from "../../src/signature/keyring.ts";
import { Gpg } from "./_gpg.ts";

const packageManifest = new TextEncoder().encode(JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST_MEDIA_TYPE,
  config: EMPTY_CONFIG,
  layers: [{
    mediaType: "application/vnd.rbee.worker.package.v1.tar+zstd",
    digest: `sha256:${"1".repeat(64)}`,
    size: 10,
  }],
}));
const subject = descriptorOf(packageManifest, OCI_MANIFEST_MEDIA_TYPE);

Deno.test("the empty config descriptor is the digest of `{}`, as OCI 1.1 prescribes", () => {
  assertEquals(EMPTY_CONFIG.digest, `sha256:${createHash("sha256").update("{}").digest("hex")}`);
});

Deno.test("buildSignatureArtifact() makes a manifest with subject, artifactType and one signature layer", () => {
  const signature = new Uint8Array([1, 2, 3]);
  const artifact = buildSignatureArtifact(subject, signature, {
    fingerprint: "F".repeat(40),
    created: new Date("2026-01-01T00:00:00Z"),
  });
  const json = JSON.parse(new TextDecoder().decode(artifact.manifest));
  assertEquals(json.artifactType, SIGNATURE_ARTIFACT_TYPE);
  assertEquals(json.subject, {
    mediaType: subject.mediaType,
    digest: subject.digest,
    size: subject.size,
  });
  assertEquals(json.config, EMPTY_CONFIG);
  assertEquals(json.layers, [descriptorOf(signature, "application/pgp-signature")]);
  assertEquals(artifact.descriptor.digest, descriptorOf(artifact.manifest, "").digest);
  assertEquals(artifact.blobs.map((b) => b.descriptor.digest), [
    json.layers[0].digest,
    EMPTY_CONFIG.digest,
  ]);
  const parsed = parseSignatureArtifact(artifact.manifest, subject.digest);
  assertEquals(parsed.signature, json.layers[0]);
  assertEquals(parsed.fingerprint, "F".repeat(40));
});

Deno.test("parseSignatureArtifact() refuses another subject, another type and extra layers", () => {
  const artifact = buildSignatureArtifact(subject, new Uint8Array([1]), { fingerprint: "F" });
  assertThrows(
    () => parseSignatureArtifact(artifact.manifest, `sha256:${"0".repeat(64)}`),
    SignatureArtifactInvalidError,
    "does not refer to",
  );
  const json = JSON.parse(new TextDecoder().decode(artifact.manifest));
  const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  assertThrows(
    () =>
      parseSignatureArtifact(encode({ ...json, artifactType: "application/x" }), subject.digest),
    SignatureArtifactInvalidError,
    "artifact type",
  );
  assertThrows(
    () =>
      parseSignatureArtifact(
        encode({ ...json, layers: [...json.layers, ...json.layers] }),
        subject.digest,
      ),
    SignatureArtifactInvalidError,
    "exactly one",
  );
});

Deno.test("signatureReferrers() picks the signature artifacts out of a referrers index", () => {
  const artifact = buildSignatureArtifact(subject, new Uint8Array([1]), { fingerprint: "F" });
  const index = new TextEncoder().encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX_MEDIA_TYPE,
    manifests: [
      artifact.descriptor,
      {
        ...descriptorOf(new Uint8Array([9]), OCI_MANIFEST_MEDIA_TYPE),
        artifactType: "application/spdx+json",
      },
    ],
  }));
  assertEquals(signatureReferrers(index).map((d) => d.digest), [artifact.descriptor.digest]);
  assertEquals(signatureReferrers(new TextEncoder().encode("nope")), []);
  assertEquals(referrersFallbackTag(subject.digest), subject.digest.replace("sha256:", "sha256-"));
  assertEquals(
    referrersPath("rbee/worker", subject.digest),
    `/v2/rbee/worker/referrers/${subject.digest}?artifactType=application%2Fvnd.rbee.worker.signature.v1%2Bpgp`,
  );
});

Deno.test("a manifest signature verifies over the exact manifest bytes and nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-sig-oci-" });
  const gpg = await Gpg.create(dir);
  try {
    const fpr = await gpg.genKey("Publisher");
    const key = await readSigningKey(await gpg.exportSecret(fpr), "secret.asc");
    const trusted = await parseKeys(await gpg.exportPublic(fpr));
    const signature = await signBytes(packageManifest, key);
    // gpg agrees that the signature is over the manifest bytes
    await Deno.writeFile(join(dir, "m.json"), packageManifest);
    await Deno.writeFile(join(dir, "m.json.sig"), signature);
    await gpg.run(["--verify", join(dir, "m.json.sig"), join(dir, "m.json")]);
    const ok = await verifyManifestSignature(packageManifest, subject.digest, signature, trusted);
    assertEquals([ok.ok, ok.verdict.fingerprint], [true, fpr]);
    const swapped = new TextEncoder().encode(
      new TextDecoder().decode(packageManifest).replace("10", "11"),
    );
    const wrongDigest = await verifyManifestSignature(swapped, subject.digest, signature, trusted);
    assertEquals(wrongDigest.ok, false);
    const resubject = descriptorOf(swapped, OCI_MANIFEST_MEDIA_TYPE).digest;
    const bad = await verifyManifestSignature(swapped, resubject, signature, trusted);
    assertEquals(bad.verdict.status, "bad");
  } finally {
    gpg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
