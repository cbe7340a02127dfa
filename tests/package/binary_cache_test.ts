/**
 * The binary cache in front of builds: a miss with publishToCache builds
 * once, publishes and installs; the next node installs the cached package
 * without running the recipe; the key follows the recipe and a git branch;
 * a directory and a registry (docker-registry) as caches.
 */

import { assert, assertEquals, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import { haveRegistry, startRegistry, writeTinyRecipe } from "../oci/_registry.ts";

const work = await Deno.makeTempDir({ prefix: "wp-bincache-" });

/** A provisioner for node `name` with `cache`, counting the recipe runs it starts. */
function node(name: string, cache: string, publish = false) {
  const runs: string[] = [];
  const p = new WorkerProvisioner({
    root: join(work, name),
    arch: "x86_64",
    binaryCache: cache,
    publishToCache: publish,
  });
  const onEvent = (e: { type: string; step?: string; state?: string }) => {
    if (e.type === "provision.step" && e.step === "run" && e.state === "start") runs.push(name);
  };
  return { p, runs, onEvent };
}

async function git(dir: string, ...args: string[]) {
  const out = await new Deno.Command("git", {
    args: ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("a directory cache: the first node builds and publishes once, the next installs the cached package", async () => {
  const recipe = await writeTinyRecipe(join(work, "recipe"), "cached-worker");
  const cache = join(work, "cache-dir");
  const first = node("n1", cache, true);
  assertEquals((await first.p.cacheStatus(recipe))?.action, "build-and-publish");
  const w1 = await first.p.provision(recipe, { onEvent: first.onEvent });
  assertEquals(w1.id, "cached-worker");
  assertEquals(first.runs, ["n1"]);
  const second = node("n2", cache);
  const status = await second.p.cacheStatus(recipe);
  assertEquals([status?.hit, status?.action], [true, "install-cached"]);
  const files = [...Deno.readDirSync(join(cache, "cached-worker/x86_64"))].map((e) => e.name);
  assertEquals(files, [`${status!.key}.pkg.tar.zst`]);
  const w2 = await second.p.provision(recipe, { onEvent: second.onEvent });
  assertEquals(second.runs, []);
  assertEquals([w2.id, w2.version], ["cached-worker", "1.2.3-1"]);
  assert((await second.p.verify("cached-worker")).ok);
  // Another recipe text is another key: a miss, built without publishing.
  await Deno.writeTextFile(
    join(recipe, "PKGBUILD"),
    (await Deno.readTextFile(join(recipe, "PKGBUILD"))).replace("pkgrel=1", "pkgrel=2"),
  );
  const third = node("n3", cache);
  const changed = await third.p.cacheStatus(recipe);
  assertEquals([changed?.hit, changed?.action], [false, "build"]);
  assertNotEquals(changed?.key, status?.key);
  await third.p.provision(recipe, { onEvent: third.onEvent });
  assertEquals(third.runs, ["n3"]);
});

Deno.test("the cache key of a git source follows its branch's commit", async () => {
  const repo = join(work, "upstream");
  await Deno.mkdir(repo, { recursive: true });
  await git(repo, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(repo, "worker.sh"), "echo v1\n");
  await git(repo, "add", ".");
  await git(repo, "commit", "-qm", "v1");
  const recipe = join(work, "git-recipe");
  await Deno.mkdir(recipe, { recursive: true });
  await Deno.writeTextFile(
    join(recipe, "PKGBUILD"),
    `pkgname=git-worker\npkgver=1\npkgrel=1\narch=('x86_64')\nlicense=('MIT')\nsource=("git+file://${repo}#branch=main")\nsha256sums=('SKIP')\n\npackage() {\n  install -Dm755 "$srcdir/upstream/worker.sh" "$pkgdir/usr/local/bin/git-worker"\n}\n`,
  );
  const n = node("g1", join(work, "git-cache"), true);
  const before = await n.p.cacheStatus(recipe);
  assert(before?.key);
  await n.p.provision(recipe, { onEvent: n.onEvent });
  assertEquals((await n.p.cacheStatus(recipe))?.hit, true);
  await Deno.writeTextFile(join(repo, "worker.sh"), "echo v2\n");
  await git(repo, "commit", "-qam", "v2");
  const after = await n.p.cacheStatus(recipe);
  assertNotEquals(after?.key, before.key);
  assertEquals(after?.hit, false);
});

Deno.test({
  name: "a registry as the binary cache: publish on a miss, install from it on the next node",
  ignore: !haveRegistry(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const registry = await startRegistry(join(work, "registry"));
    try {
      const recipe = await writeTinyRecipe(join(work, "oci-recipe"), "oci-cached");
      const cache = `oci://${registry.host}/rbee/cache`;
      const first = node("o1", cache, true);
      await first.p.provision(recipe, { onEvent: first.onEvent });
      const second = node("o2", cache);
      assertEquals((await second.p.cacheStatus(recipe))?.action, "install-cached");
      const w = await second.p.provision(recipe, { onEvent: second.onEvent });
      assertEquals([first.runs, second.runs], [["o1"], []]);
      assertEquals(w.id, "oci-cached");
      const res = await fetch(`http://${registry.host}/v2/rbee/cache/tags/list`);
      const tags = (await res.json()).tags as string[];
      assert(tags.includes("1.2.3-1") && tags.some((t) => t.startsWith("cache-")), String(tags));
    } finally {
      await registry.stop();
    }
  },
});

Deno.test({
  name: "the binary cache work directory is removed",
  fn: () => Deno.remove(work, { recursive: true }),
});
