/**
 * A signed worker package in a real OCI registry (Debian's docker-registry,
 * distribution 2.8, on 127.0.0.1): the package manifest pushed, its
 * signature artifact pushed with `subject` = that manifest, found again the
 * way a node will (the referrers API, which 2.8 lacks, then the fallback
 * tag's index), and verified against the keys the node trusts. The registry
 * I/O here is test code; the product's OCI client wires the same functions.
 */

import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import {
  buildSignatureArtifact,
  descriptorOf,
  EMPTY_CONFIG,
  OCI_INDEX_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  type OciDescriptor,
  parseSignatureArtifact,
  referrersFallbackTag,
  referrersIndexWith,
  referrersPath,
  signatureReferrers,
} from "../../src/signature/oci.ts";
import { readSigningKey, signBytes, verifyManifestSignature } from "../../src/signature/package.ts";
import { parseKeys } from "../../src/signature/keyring.ts";
import { Gpg } from "./_gpg.ts";

const available = new Deno.Command("sh", { args: ["-c", "command -v docker-registry"] })
  .outputSync().success;
const NAME = "rbee/llm-worker";

async function startRegistry(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const config = join(dir, "registry.yml");
  await Deno.writeTextFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = new Deno.Command("docker-registry", {
    args: ["serve", config],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${url}/v2/`).then(
      (r) => r.body?.cancel().then(() => r.ok),
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: async () => {
      child.kill();
      await child.status;
    },
  };
}

class Registry {
  constructor(readonly url: string) {}

  async pushBlob(bytes: Uint8Array, digest: string): Promise<void> {
    const start = await fetch(`${this.url}/v2/${NAME}/blobs/uploads/`, { method: "POST" });
    await start.body?.cancel();
    const location = new URL(start.headers.get("location")!, this.url);
    location.searchParams.set("digest", digest);
    const put = await fetch(location, { method: "PUT", body: bytes as Uint8Array<ArrayBuffer> });
    await put.body?.cancel();
    assertEquals(put.status, 201);
  }

  async pushManifest(ref: string, bytes: Uint8Array, mediaType: string): Promise<void> {
    const put = await fetch(`${this.url}/v2/${NAME}/manifests/${ref}`, {
      method: "PUT",
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: { "content-type": mediaType },
    });
    assertEquals(put.status, 201, await put.text());
  }

  async get(path: string, accept = "*/*"): Promise<Uint8Array | undefined> {
    const r = await fetch(`${this.url}${path}`, { headers: { accept } });
    if (r.status === 404) return void await r.body?.cancel();
    assertEquals(r.status, 200);
    return new Uint8Array(await r.arrayBuffer());
  }
}

/** Publisher side: push the package manifest and a signature artifact for it (fallback tag kept). */
async function pushSigned(reg: Registry, manifest: Uint8Array, signature: Uint8Array, fpr: string) {
  const subject = descriptorOf(manifest, OCI_MANIFEST_MEDIA_TYPE);
  const artifact = buildSignatureArtifact(subject, signature, { fingerprint: fpr });
  for (const b of artifact.blobs) await reg.pushBlob(b.bytes, b.descriptor.digest);
  await reg.pushManifest(artifact.descriptor.digest, artifact.manifest, OCI_MANIFEST_MEDIA_TYPE);
  const tag = referrersFallbackTag(subject.digest);
  const index = referrersIndexWith(
    await reg.get(`/v2/${NAME}/manifests/${tag}`, OCI_INDEX_MEDIA_TYPE),
    artifact.descriptor,
  );
  await reg.pushManifest(tag, index, OCI_INDEX_MEDIA_TYPE);
}

/** Node side: the signature artifacts of the manifest at `tag`, found by referrers API or fallback tag. */
async function discover(reg: Registry, tag: string) {
  const manifest = (await reg.get(`/v2/${NAME}/manifests/${tag}`, OCI_MANIFEST_MEDIA_TYPE))!;
  const digest = descriptorOf(manifest, "").digest;
  const index = await reg.get(referrersPath(NAME, digest)) ??
    await reg.get(`/v2/${NAME}/manifests/${referrersFallbackTag(digest)}`, OCI_INDEX_MEDIA_TYPE);
  const signatures: { signature: Uint8Array; descriptor: OciDescriptor }[] = [];
  for (const d of index ? signatureReferrers(index) : []) {
    const artifact = parseSignatureArtifact(
      (await reg.get(`/v2/${NAME}/manifests/${d.digest}`, OCI_MANIFEST_MEDIA_TYPE))!,
      digest,
    );
    const blob = (await reg.get(`/v2/${NAME}/blobs/${artifact.signature.digest}`))!;
    assertEquals(descriptorOf(blob, "").digest, artifact.signature.digest);
    signatures.push({ signature: blob, descriptor: d });
  }
  return { manifest, digest, signatures };
}

Deno.test({
  name:
    "a signed package in docker-registry is found by its digest and accepted only with a trusted key",
  ignore: !available,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "wp-sig-registry-" });
    const gpg = await Gpg.create(dir);
    const registry = await startRegistry(dir);
    try {
      const publisher = await gpg.genKey("Publisher");
      const intruder = await gpg.genKey("Intruder");
      const reg = new Registry(registry.url);
      const pkg = new TextEncoder().encode("worker package bytes\n".repeat(1000));
      const layer = descriptorOf(pkg, "application/vnd.rbee.worker.package.v1.tar+zstd");
      await reg.pushBlob(pkg, layer.digest);
      await reg.pushBlob(new TextEncoder().encode("{}"), EMPTY_CONFIG.digest);
      const manifest = new TextEncoder().encode(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        artifactType: "application/vnd.rbee.worker.package.v1",
        config: EMPTY_CONFIG,
        layers: [layer],
      }));
      await reg.pushManifest("1.0", manifest, OCI_MANIFEST_MEDIA_TYPE);
      await reg.pushManifest(
        "unsigned",
        new TextEncoder().encode(
          new TextDecoder().decode(manifest).replace('package.v1"', 'package.v1","annotations":{}'),
        ),
        OCI_MANIFEST_MEDIA_TYPE,
      );

      const key = async (fpr: string) => await readSigningKey(await gpg.exportSecret(fpr), fpr);
      await pushSigned(reg, manifest, await signBytes(manifest, await key(publisher)), publisher);
      const trusted = await parseKeys(await gpg.exportPublic(publisher));

      const found = await discover(reg, "1.0");
      assertEquals(found.signatures.length, 1);
      const ok = await verifyManifestSignature(
        found.manifest,
        found.digest,
        found.signatures[0].signature,
        trusted,
      );
      assertEquals([ok.ok, ok.verdict.fingerprint], [true, publisher]);

      // re-signed by another key: a second artifact for the same subject, refused by this node
      await pushSigned(reg, manifest, await signBytes(manifest, await key(intruder)), intruder);
      const again = await discover(reg, "1.0");
      assertEquals(again.signatures.length, 2, "both artifacts are listed in the fallback index");
      const verdicts = await Promise.all(
        again.signatures.map((s) =>
          verifyManifestSignature(again.manifest, again.digest, s.signature, trusted)
        ),
      );
      assertEquals(verdicts.map((v) => v.ok), [true, false]);
      assert(verdicts[1].failure!.includes("not a trusted key"));

      // unsigned: no referrers at all
      assertEquals((await discover(reg, "unsigned")).signatures, []);
    } finally {
      await registry.stop();
      gpg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("referrersIndexWith() adds an artifact once and keeps the others", () => {
  const a = { ...descriptorOf(new Uint8Array([1]), OCI_MANIFEST_MEDIA_TYPE), artifactType: "x" };
  const b = { ...descriptorOf(new Uint8Array([2]), OCI_MANIFEST_MEDIA_TYPE), artifactType: "y" };
  const once = referrersIndexWith(undefined, a);
  const twice = referrersIndexWith(referrersIndexWith(once, b), a);
  const json = JSON.parse(new TextDecoder().decode(twice));
  assertEquals(json.mediaType, OCI_INDEX_MEDIA_TYPE);
  assertEquals(json.manifests.map((m: OciDescriptor) => m.digest), [b.digest, a.digest]);
  assertEquals(
    JSON.parse(new TextDecoder().decode(referrersIndexWith(new TextEncoder().encode("{"), a)))
      .manifests.length,
    1,
  );
});
