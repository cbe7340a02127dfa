/**
 * Signed worker packages installed through the CLI (under the compiled
 * binary's permission flags), keys made with Debian's gnupg: `push --sign`
 * to a real docker-registry on 127.0.0.1 and `install oci://...` on a node
 * (a temp root) that trusts the key; the same package re-signed by another
 * key, and an unsigned one, refused under `--require-signature` with
 * nothing written; and the same policy for a package file (`<file>.sig`
 * beside it, made by `gpg --detach-sign`) and a URL (`<url>.sig`).
 */

import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { basename, join } from "node:path";
import { runCli, treeOf } from "../cli/_cli.ts";
import { buildFor, haveRegistry, startRegistry, writeTinyRecipe } from "../oci/_registry.ts";
import { readRecord } from "../../src/provision/record.ts";
import { Gpg } from "./_gpg.ts";

const haveGpg = new Deno.Command("sh", { args: ["-c", "command -v gpg"] }).outputSync().success;
const dir = await Deno.makeTempDir({ prefix: "wp-sig-pkg-" });
const file = (name: string) => join(dir, name);
const STATE = "var/lib/worker-provisioner";

/** The keys and the package every test uses, made once. */
async function setup() {
  const gpg = await Gpg.create(dir);
  const publisher = await gpg.genKey("Publisher");
  const intruder = await gpg.genKey("Intruder");
  await Deno.writeFile(file("publisher.pub.asc"), await gpg.exportPublic(publisher));
  await Deno.writeFile(file("publisher.sec.asc"), await gpg.exportSecret(publisher));
  await Deno.writeFile(file("intruder.sec.asc"), await gpg.exportSecret(intruder));
  const recipe = await writeTinyRecipe(file("recipe"), "signed-worker", "1.0");
  const pkg = await buildFor(recipe, "x86_64", dir);
  return { gpg, publisher, intruder, pkg: pkg.path };
}

const ready = haveGpg ? await setup() : undefined;
let nodes = 0;

/** `install` on a fresh node (temp root) with `args`; the root's tree afterwards. */
async function installOnNode(source: string, ...args: string[]) {
  const root = file(`node-${++nodes}`);
  const run = await runCli(["install", source, "--root", root, "--arch", "x86_64", ...args]);
  return { ...run, root, tree: await treeOf(root).catch(() => []) };
}

/** The fingerprint the node's record keeps as the package's signer. */
async function recordedSigner(root: string): Promise<string | undefined> {
  const record = await readRecord(join(root, STATE), "signed-worker", root);
  assert(record, "the worker is recorded");
  return record.packageSigner;
}

/** Nothing but (at most) the state directory's bookkeeping was written. */
function assertNothingInstalled(tree: readonly string[]) {
  assertEquals(tree.filter((p) => p.startsWith("usr")), []);
  assertEquals(tree.filter((p) => p.includes("/records/") || p.endsWith(".json")), []);
}

const trustPublisher = ["--trusted-key", file("publisher.pub.asc")];

Deno.test({
  name:
    "push --sign and install oci://: accepted on a node trusting the key, refused when re-signed by another key or unsigned",
  ignore: !ready || !haveRegistry(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { pkg, publisher } = ready!;
    const registry = await startRegistry(file("registry"));
    try {
      const push = async (repo: string, ...sign: string[]) => {
        const run = await runCli(["push", pkg, `oci://${registry.host}/rbee/${repo}`, ...sign]);
        assertEquals(run.code, 0, run.stderr);
        return `oci://${registry.host}/rbee/${repo}:1.0-1`;
      };
      const signed = await push("signed", "--sign", file("publisher.sec.asc"));
      const resigned = await push("resigned", "--sign", file("intruder.sec.asc"));
      const unsigned = await push("unsigned");

      // a node that trusts the key through its own state: keys import + keys trust
      const root = file("node-trusting");
      const keys = (...a: string[]) => runCli(["keys", ...a, "--root", root]);
      assertEquals((await keys("import", file("publisher.pub.asc"))).code, 0);
      assertEquals((await keys("trust", publisher)).code, 0);
      const ok = await runCli(["install", signed, "--root", root, "--arch", "x86_64"]);
      assertEquals(ok.code, 0, ok.stderr);
      assertEquals(await recordedSigner(root), publisher);

      const other = await installOnNode(resigned, ...trustPublisher, "--require-signature");
      assertEquals(other.code, 5, other.stderr);
      assertStringIncludes(other.stderr, "which is not a trusted key");
      assertStringIncludes(other.stderr, "--trusted-key FILE");
      assertNothingInstalled(other.tree);

      const bare = await installOnNode(unsigned, ...trustPublisher, "--require-signature");
      assertEquals(bare.code, 5, bare.stderr);
      assertStringIncludes(bare.stderr, "is not signed");
      assertStringIncludes(bare.stderr, "--allow-unsigned");
      assertNothingInstalled(bare.tree);

      // once a key is trusted a signature is required by default; --allow-unsigned lifts that
      const byDefault = await installOnNode(unsigned, ...trustPublisher);
      assertEquals(byDefault.code, 5, byDefault.stderr);
      const allowed = await installOnNode(unsigned, ...trustPublisher, "--allow-unsigned");
      assertEquals(allowed.code, 0, allowed.stderr);
      assertEquals(await recordedSigner(allowed.root), undefined);
    } finally {
      await registry.stop();
    }
  },
});

Deno.test({
  name: "install of a package file: its .sig (gpg --detach-sign) decides under the same policy",
  ignore: !ready,
  async fn() {
    const { gpg, pkg, publisher, intruder } = ready!;
    const local = file("local");
    await Deno.mkdir(local, { recursive: true });
    const copy = (name: string) =>
      Deno.copyFile(pkg, join(local, name)).then(() => join(local, name));
    const good = await copy("good-1.0-1-x86_64.pkg.tar.zst");
    await gpg.sign(publisher, good, `${good}.sig`);
    const ok = await installOnNode(good, ...trustPublisher, "--require-signature");
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(await recordedSigner(ok.root), publisher);

    const bad = await copy("bad-1.0-1-x86_64.pkg.tar.zst");
    await gpg.sign(intruder, bad, `${bad}.sig`);
    const refused = await installOnNode(bad, ...trustPublisher, "--allow-unsigned");
    assertEquals(refused.code, 5, refused.stderr);
    assertStringIncludes(refused.stderr, "not a trusted key");
    assertNothingInstalled(refused.tree);

    // a signature over other bytes is refused even where unsigned packages are allowed
    const swapped = await copy("swapped-1.0-1-x86_64.pkg.tar.zst");
    await Deno.writeFile(
      `${swapped}.sig`,
      await gpg.run([
        "--detach-sign",
        "--local-user",
        publisher,
        "--output",
        "-",
        file("publisher.pub.asc"),
      ]),
    );
    const tampered = await installOnNode(swapped, ...trustPublisher, "--allow-unsigned");
    assertEquals(tampered.code, 5, tampered.stderr);
    assertStringIncludes(tampered.stderr, "bad signature");
    assertNothingInstalled(tampered.tree);

    const none = await copy("none-1.0-1-x86_64.pkg.tar.zst");
    const unsigned = await installOnNode(none, ...trustPublisher, "--require-signature");
    assertEquals(unsigned.code, 5, unsigned.stderr);
    assertStringIncludes(unsigned.stderr, "is not signed");
    assertNothingInstalled(unsigned.tree);
  },
});

Deno.test({
  name:
    "install of a package URL: <url>.sig is fetched and verified; none is refused when required",
  ignore: !ready,
  async fn() {
    const { pkg, publisher } = ready!;
    const served = file("served");
    await Deno.mkdir(served, { recursive: true });
    const signedName = "web-1.0-1-x86_64.pkg.tar.zst";
    await Deno.copyFile(pkg, join(served, signedName));
    await ready!.gpg.sign(publisher, join(served, signedName), join(served, `${signedName}.sig`));
    await Deno.copyFile(pkg, join(served, "bare-1.0-1-x86_64.pkg.tar.zst"));
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const name = basename(new URL(req.url).pathname);
      try {
        return new Response(await Deno.readFile(join(served, name)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    try {
      const base = `http://127.0.0.1:${server.addr.port}`;
      const ok = await installOnNode(`${base}/${signedName}`, ...trustPublisher);
      assertEquals(ok.code, 0, ok.stderr);
      assertEquals(await recordedSigner(ok.root), publisher);
      const bare = await installOnNode(`${base}/bare-1.0-1-x86_64.pkg.tar.zst`, ...trustPublisher);
      assertEquals(bare.code, 5, bare.stderr);
      assertStringIncludes(bare.stderr, "is not signed");
      assertNothingInstalled(bare.tree);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "a binary cache under a signature policy: the package a node builds itself installs, an unsigned cache hit is refused",
  ignore: !ready,
  async fn() {
    const cache = ["--binary-cache", file("bincache")];
    const builder = await installOnNode(file("recipe"), ...cache, "--push", ...trustPublisher);
    assertEquals(builder.code, 0, builder.stderr);
    assertEquals(await recordedSigner(builder.root), undefined);
    const hit = await installOnNode(file("recipe"), ...cache, ...trustPublisher);
    assertEquals(hit.code, 5, hit.stderr);
    assertStringIncludes(hit.stderr, "is not signed");
    assertNothingInstalled(hit.tree);
  },
});

Deno.test({
  name: "the signed-package work directory is removed",
  fn: async () => {
    ready?.gpg.close();
    await Deno.remove(dir, { recursive: true });
  },
});
