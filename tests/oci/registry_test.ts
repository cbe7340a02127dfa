/**
 * Worker packages through a real registry (Debian's docker-registry, the
 * CNCF distribution registry 2.8, on 127.0.0.1): push, an index with both
 * architectures under one tag, install by tag (host arch and --arch) and by
 * digest, a corrupted blob refused with nothing installed, a connection cut
 * mid-blob resumed, and basic auth.
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import { digestOf, pushBlob } from "../../src/oci/blob.ts";
import { RegistryClient } from "../../src/oci/client.ts";
import {
  MEDIA_INDEX,
  OciAuthError,
  OciDigestMismatchError,
  parseOciReference,
  pullPackage,
  pushPackage,
} from "../../src/oci/mod.ts";
import {
  blobDataPath,
  buildFor,
  haveRegistry,
  type Registry,
  startCuttingProxy,
  startPatchDroppingProxy,
  startRegistry,
  writeTinyRecipe,
} from "./_registry.ts";

const ignore = !haveRegistry();
const work = await Deno.makeTempDir({ prefix: "wp-oci-" });
let registry: Registry | undefined;
const recipe = await writeTinyRecipe(join(work, "recipe"));
const packages = ignore ? null : Promise.all([
  buildFor(recipe, "x86_64", work),
  buildFor(recipe, "aarch64", work),
]);

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test({
  name:
    "push of two architectures makes one index under the version tag; install picks the host's or --arch",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    registry = await startRegistry(join(work, "anon"));
    const [x86, arm] = await packages!;
    const base = `oci://${registry.host}/rbee/tiny-worker`;
    const a = await pushPackage(x86.path, base);
    assertEquals(a.reference, `${base}:1.2.3-1`);
    assert(a.uploaded);
    const again = await pushPackage(x86.path, base);
    assertEquals(again.uploaded, false);
    assertEquals(again.indexDigest, a.indexDigest);
    const b = await pushPackage(arm.path, base);
    const res = await fetch(`http://${registry.host}/v2/rbee/tiny-worker/manifests/1.2.3-1`, {
      headers: { accept: MEDIA_INDEX },
    });
    const index = await res.json();
    assertEquals(index.mediaType, MEDIA_INDEX);
    assertEquals(
      index.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
      ["arm64", "amd64"], // sorted by our arch names: aarch64, x86_64
    );
    assertEquals(
      index.manifests.map((m: { annotations: Record<string, string> }) =>
        m.annotations["dev.rbee.worker.package.digest"]
      ).sort(),
      [`sha256:${x86.sha256}`, `sha256:${arm.sha256}`].sort(),
    );
    const host = new WorkerProvisioner({ root: join(work, "node-x86"), arch: "x86_64" });
    const w1 = await host.provision(`${base}:1.2.3-1`);
    assertEquals([w1.id, w1.arch], ["tiny-worker", "x86_64"]);
    assert((await host.verify("tiny-worker")).ok);
    const other = new WorkerProvisioner({ root: join(work, "node-arm"), arch: "aarch64" });
    const w2 = await other.provision(`${base}:1.2.3-1`);
    assertEquals(w2.arch, "aarch64");
    const script = await Deno.readTextFile(join(work, "node-arm/usr/local/bin/tiny-worker"));
    assert(script.includes("aarch64"), script);
    const byDigest = new WorkerProvisioner({ root: join(work, "node-digest"), arch: "aarch64" });
    const w3 = await byDigest.provision(
      `oci://${registry.host}/rbee/tiny-worker@${b.manifestDigest}`,
    );
    assertEquals(w3.arch, "aarch64");
    const indexPull = await pullPackage(
      `oci://${registry.host}/rbee/tiny-worker@${a.indexDigest}`,
      "x86_64",
      join(work, "pulled"),
    );
    assertEquals(indexPull.sha256, x86.sha256);
  },
});

Deno.test({
  name:
    "a chunked blob upload whose answer is lost mid-way asks the registry where it stands and completes",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const proxy = startPatchDroppingProxy(registry!.host, 3);
    try {
      const bytes = crypto.getRandomValues(new Uint8Array(5000));
      const digest = digestOf(bytes);
      const ref = parseOciReference(`oci://${proxy.host}/rbee/chunks`);
      const client = new RegistryClient(ref);
      assert(await pushBlob(client, digest, bytes, { monolithicMax: 0, chunkSize: 1024 }));
      assertEquals(proxy.drops(), 1);
      // The client asked the registry where the upload stood (GET on the upload URL), then went
      // on from its offset, or in a new session when the registry had dropped the old one
      // (docker-registry does when the lost chunk is replayed with stale state).
      const log = await registry!.log();
      assert(
        /"GET \/v2\/rbee\/chunks\/blobs\/uploads\/[^"]*" (204|404)/.test(log),
        "no status request",
      );
      const res = await fetch(`http://${registry!.host}/v2/rbee/chunks/blobs/${digest}`);
      assertEquals(new Uint8Array(await res.arrayBuffer()), bytes);
    } finally {
      proxy.stop();
    }
  },
});

Deno.test({
  name:
    "a connection cut mid-blob resumes with Range; the registry's copy corrupted on disk is refused and nothing installed",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const [x86] = await packages!;
    const proxy = startCuttingProxy(registry!.host);
    try {
      const pulled = await pullPackage(
        `oci://${proxy.host}/rbee/tiny-worker:1.2.3-1`,
        "x86_64",
        join(work, "via-proxy"),
      );
      assertEquals(proxy.cuts(), 1);
      assertEquals(pulled.requests, 2);
      assertEquals(pulled.sha256, x86.sha256);
    } finally {
      proxy.stop();
    }
    const data = blobDataPath(registry!.storage, `sha256:${x86.sha256}`);
    const bytes = await Deno.readFile(data);
    bytes[bytes.length >> 1] ^= 0xff;
    await Deno.writeFile(data, bytes);
    const victim = new WorkerProvisioner({ root: join(work, "node-corrupt"), arch: "x86_64" });
    await assertRejects(
      () => victim.provision(`oci://${registry!.host}/rbee/tiny-worker:1.2.3-1`),
      OciDigestMismatchError,
    );
    assertEquals(await exists(join(work, "node-corrupt/usr")), false);
    assertEquals(await victim.list(), []);
    await registry!.stop();
  },
});

Deno.test({
  name: "a registry with htpasswd basic auth refuses anonymous pushes and accepts credentials",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const [x86] = await packages!;
    const user = { username: "fleet", password: "s3cret:with-colon" };
    const secured = await startRegistry(join(work, "basic"), user);
    try {
      const target = `oci://${secured.host}/rbee/tiny-worker`;
      await assertRejects(() => pushPackage(x86.path, target), OciAuthError);
      await assertRejects(
        () =>
          pushPackage(x86.path, target, { credentials: () => ({ ...user, password: "wrong" }) }),
        OciAuthError,
      );
      const pushed = await pushPackage(x86.path, target, { credentials: () => user });
      const node = new WorkerProvisioner({
        root: join(work, "node-basic"),
        arch: "x86_64",
        registry: { credentials: (host) => (host === secured.host ? user : undefined) },
      });
      const w = await node.provision(pushed.reference);
      assertEquals(w.version, "1.2.3-1");
    } finally {
      await secured.stop();
    }
  },
});

Deno.test({
  name: "the registry work directory is removed",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await registry?.stop().catch(() => {});
    await Deno.remove(work, { recursive: true });
  },
});
