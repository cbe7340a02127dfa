/**
 * Installing from a binary package: a local file and an http URL (resumed
 * after a dropped connection) go through the same transaction as a built
 * worker (list, verify, uninstall); a corrupted package or a refusing
 * verifier installs nothing.
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import { PackageCorruptError } from "../../src/package/errors.ts";
import { ProvisionerError } from "../../src/errors.ts";
import { buildFixture, haveGcc } from "./_build.ts";

const work = await Deno.makeTempDir({ prefix: "wp-pkg-install-" });
const built = haveGcc() ? buildFixture(work, "built") : null;

function provisioner(name: string, extra: Record<string, unknown> = {}) {
  return new WorkerProvisioner({ root: join(work, name), arch: "x86_64", ...extra });
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test({
  name:
    "install of a .pkg.tar.zst records the worker; verify and uninstall treat it like a built one",
  ignore: !haveGcc(),
  async fn() {
    const pkg = await built!;
    const p = provisioner("file-root");
    const worker = await p.provision(pkg.path);
    assertEquals([worker.id, worker.version, worker.arch], ["tidy-elf", "1.0-1", "x86_64"]);
    assert(worker.executables.some((e) => e.endsWith("/usr/bin/hello-pie")));
    assertEquals((await p.list()).map((w) => w.id), ["tidy-elf"]);
    assert((await p.verify("tidy-elf")).ok);
    const again = await p.provision(pkg.path);
    assertEquals(again.alreadyInstalled, true);
    await p.remove("tidy-elf");
    assertEquals(await exists(join(work, "file-root/usr/bin/hello-pie")), false);
  },
});

Deno.test({
  name: "install from an http URL resumes a download the server cut mid-body",
  ignore: !haveGcc(),
  sanitizeResources: false,
  async fn() {
    const pkg = await built!;
    const bytes = await Deno.readFile(pkg.path);
    let requests = 0;
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      requests++;
      const range = /bytes=(\d+)-/.exec(req.headers.get("range") ?? "");
      if (range) {
        const from = Number(range[1]);
        return new Response(bytes.slice(from), {
          status: 206,
          headers: { "content-range": `bytes ${from}-${bytes.length - 1}/${bytes.length}` },
        });
      }
      // First request: half the bytes, then the connection breaks.
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes.slice(0, bytes.length >> 1));
          setTimeout(() => c.error(new Error("dropped")), 20);
        },
      });
      return new Response(body, { headers: { "content-length": String(bytes.length) } });
    });
    try {
      const url = `http://127.0.0.1:${server.addr.port}/pkgs/${pkg.fileName}`;
      const worker = await provisioner("url-root").provision(url);
      assertEquals(worker.id, "tidy-elf");
      assertEquals(requests, 2);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "a corrupted package and a refusing verifier install nothing",
  ignore: !haveGcc(),
  async fn() {
    const pkg = await built!;
    const bytes = await Deno.readFile(pkg.path);
    bytes[bytes.length - 40] ^= 0xff;
    const bad = join(work, pkg.fileName);
    await Deno.writeFile(bad, bytes);
    const p = provisioner("bad-root");
    const error = await assertRejects(() => p.provision(bad, {}));
    assert(error instanceof ProvisionerError, String(error));
    assertEquals(await exists(join(work, "bad-root/usr")), false);
    assertEquals(await p.list(), []);
    await assertRejects(
      () => p.installPackage(pkg.path, { sha256: "1".repeat(64) }),
      PackageCorruptError,
    );
    const seen: string[] = [];
    const refusing = provisioner("refused-root", {
      packageVerifiers: [(pkg: { manifest: { id: string } }) => {
        seen.push(pkg.manifest.id);
        throw new PackageCorruptError(pkg.manifest.id, "no valid signature");
      }],
    });
    await assertRejects(() => refusing.provision(pkg.path), PackageCorruptError);
    assertEquals(seen, ["tidy-elf"]);
    assertEquals(await exists(join(work, "refused-root/usr")), false);
  },
});

Deno.test({
  name: "the install-from-package work directory is removed",
  fn: async () => {
    await built?.catch(() => {});
    await Deno.remove(work, { recursive: true });
  },
});
