/**
 * The local package cache (`src/provision/package_cache.ts`): a build's
 * package trees kept under the key of what decided them, a later install
 * with the same key taken from them (no fetch, extraction or recipe
 * function), a changed key or `rebuild` building again, and damaged entries
 * refused, removed and rebuilt. Real recipes from the test catalog and a
 * local recipe, real builds in bash.
 */
import { assert, assertEquals, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { systemStateDir } from "../../src/provision/paths.ts";
import { readRecord } from "../../src/provision/record.ts";
import { listPackageCache } from "../../src/provision/package_cache.ts";
import { listCache } from "../../src/cli/commands/cache.ts";
import { runAndKillAtCrashPoint } from "./_child.ts";
import { makeTree, outsideState, snapshot } from "./_helpers.ts";
import { withWorld, type World } from "./_world.ts";

const STATE = "var/lib/worker-provisioner";

type Event = { type: string; step?: string; state?: string; reason?: string; key?: string };

/** Provisions `id` into `root` (sharing the world's cache); returns the worker and the events. */
async function provisionInto(
  w: World,
  root: string,
  id: string,
  options: Record<string, unknown> = {},
  call: { rebuild?: boolean; reinstall?: boolean } = {},
) {
  await Deno.mkdir(root, { recursive: true });
  const events: Event[] = [];
  const worker = await w.provisioner({ root, ...options }).provision(id, {
    ...call,
    onEvent: (e) => events.push(e as never),
  });
  return { worker, events };
}

function built(events: readonly Event[]): boolean {
  return events.some((e) => e.type === "run.phase");
}

function cacheState(events: readonly Event[]): string[] {
  return events.filter((e) => e.type === "provision.cached").map((e) => e.state!);
}

/** The only entry of worker `id`: its directory. */
async function onlyEntry(w: World, id: string): Promise<string> {
  const entries = (await listPackageCache(w.cacheDir)).filter((e) => e.id === id);
  assertEquals(entries.length, 1, JSON.stringify(entries));
  return join(w.cacheDir, entries[0].path);
}

Deno.test("a second install with the same key comes from the package cache: no fetch, no recipe function, same files, recorded as such", async () => {
  await withWorld(async (w) => {
    const first = await provisionInto(w, join(w.dir, "r1"), "src-worker");
    assert(built(first.events));
    assertEquals(cacheState(first.events), ["stored"]);
    const second = await provisionInto(w, join(w.dir, "r2"), "src-worker");
    assertEquals(cacheState(second.events), ["hit"]);
    assert(!built(second.events), "a recipe function ran");
    assert(!second.events.some((e) => e.type.startsWith("source.")), "a source was fetched");
    assertEquals(
      second.events.filter((e) => e.state === "skipped").map((e) => e.step),
      ["fetch", "extract", "run"],
    );
    const below = (m: Record<string, string>, root: string) =>
      Object.fromEntries(Object.entries(m).map(([p, h]) => [p.slice(root.length), h]));
    assertEquals(
      below(second.worker.sha256, join(w.dir, "r2")),
      below(first.worker.sha256, join(w.dir, "r1")),
    );
    const r1 = outsideState(
      await snapshot(join(w.dir, "r1"), systemStateDir(join(w.dir, "r1"))),
      STATE,
    );
    const r2 = outsideState(
      await snapshot(join(w.dir, "r2"), systemStateDir(join(w.dir, "r2"))),
      STATE,
    );
    assertEquals(r2, r1);
    const record = await readRecord(
      systemStateDir(join(w.dir, "r2")),
      "src-worker",
      join(w.dir, "r2"),
    );
    const entryKey = (await onlyEntry(w, "src-worker")).split("/").at(-1);
    assertEquals(record?.packageCache?.key, entryKey);
    assert(record?.freshness, "the record keeps what outdated needs");
    const first1 = await readRecord(
      systemStateDir(join(w.dir, "r1")),
      "src-worker",
      join(w.dir, "r1"),
    );
    assertEquals(first1?.packageCache, undefined);
    assertEquals((await w.provisioner({ root: join(w.dir, "r2") }).verify("src-worker")).ok, true);
  });
});

Deno.test("reinstall into the same root takes the cached build; rebuild builds and replaces the entry; nocheck keeps the key", async () => {
  await withWorld(async (w) => {
    const root = join(w.dir, "r");
    await provisionInto(w, root, "bin-worker");
    const entry = await onlyEntry(w, "bin-worker");
    const builtAt = JSON.parse(await Deno.readTextFile(join(entry, "entry.json"))).builtAt;
    const re = await provisionInto(w, root, "bin-worker", {}, { reinstall: true });
    assertEquals(cacheState(re.events), ["hit"]);
    assertEquals((await w.provisioner({ root }).verify("bin-worker")).ok, true);
    const nocheck = await provisionInto(w, root, "bin-worker", { check: false }, {
      reinstall: true,
    });
    assertEquals(cacheState(nocheck.events), ["hit"]);
    const rebuilt = await provisionInto(w, root, "bin-worker", {}, {
      reinstall: true,
      rebuild: true,
    });
    assert(built(rebuilt.events));
    assertEquals(cacheState(rebuilt.events), ["stored"]);
    assertEquals(await onlyEntry(w, "bin-worker"), entry);
    const again = JSON.parse(await Deno.readTextFile(join(entry, "entry.json"))).builtAt;
    assertNotEquals(again, builtAt);
    assertEquals((await w.provisioner({ root }).verify("bin-worker")).ok, true);
  });
});

Deno.test("the key follows the recipe's local files and the build environment", async () => {
  await withWorld(async (w) => {
    const recipe = join(w.dir, "recipe");
    await makeTree(recipe, {
      PKGBUILD: `pkgname=local-worker
pkgver=1.0
pkgrel=1
arch=(any)
source=(local-worker.sh)
sha256sums=(SKIP)
package() {
  install -Dm755 "$srcdir/local-worker.sh" "$pkgdir/usr/bin/local-worker"
  printf '%s\\n' "\${WORKER_FLAVOUR:-plain}" > flavour
  install -Dm644 flavour "$pkgdir/usr/share/local-worker/flavour"
}
`,
    });
    await Deno.writeTextFile(join(recipe, "local-worker.sh"), "#!/bin/sh\necho one\n");
    const root = join(w.dir, "r");
    const one = await provisionInto(w, root, recipe);
    assertEquals(cacheState(one.events), ["stored"]);
    const same = await provisionInto(w, root, recipe, {}, { reinstall: true });
    assertEquals(cacheState(same.events), ["hit"]);
    await Deno.writeTextFile(join(recipe, "local-worker.sh"), "#!/bin/sh\necho two\n");
    const two = await provisionInto(w, root, recipe, {}, { reinstall: true });
    assert(built(two.events), "a changed local file must build");
    assertEquals(
      await Deno.readTextFile(join(root, "usr/bin/local-worker")),
      "#!/bin/sh\necho two\n",
    );
    const env = { buildEnv: { WORKER_FLAVOUR: "fancy" } };
    const flavoured = await provisionInto(w, root, recipe, env, { reinstall: true });
    assert(built(flavoured.events), "another --env must build");
    assertEquals(await Deno.readTextFile(join(root, "usr/share/local-worker/flavour")), "fancy\n");
    const flavouredAgain = await provisionInto(w, root, recipe, env, { reinstall: true });
    assertEquals(cacheState(flavouredAgain.events), ["hit"]);
    assertEquals((await listPackageCache(w.cacheDir)).length, 3);
  });
});

/** Damages the only entry of `id` with `damage`, installs into a fresh root, and checks the outcome. */
async function damagedCase(
  w: World,
  damage: (entry: string) => Promise<void>,
  reason: RegExp,
  reports = ["damaged", "stored"],
) {
  await provisionInto(w, join(w.dir, "r1"), "bin-worker");
  const entry = await onlyEntry(w, "bin-worker");
  await damage(entry);
  const root = join(w.dir, "r2");
  const { worker, events } = await provisionInto(w, root, "bin-worker");
  const report = events.find((e) => e.type === "provision.cached" && e.state === "damaged");
  assertEquals(
    report?.state,
    "damaged",
    JSON.stringify(events.filter((e) => e.type === "provision.cached")),
  );
  assert(reason.test(report?.reason ?? ""), report?.reason);
  assert(built(events), "the worker must be built after a damaged entry");
  assertEquals(cacheState(events), reports);
  assertEquals((await w.provisioner({ root }).verify("bin-worker")).ok, true);
  const out = await new Deno.Command(worker.executables[0], { stdout: "piped" }).output();
  assertEquals(new TextDecoder().decode(out.stdout).trim(), "bin-worker x86_64");
  const record = await readRecord(systemStateDir(root), "bin-worker", root);
  assertEquals(record?.packageCache, undefined);
  // The rebuilt entry is whole again.
  const third = await provisionInto(w, join(w.dir, "r3"), "bin-worker");
  assertEquals(cacheState(third.events), ["hit"]);
}

const BIN = "tree/bin-worker/usr/local/bin/bin-worker";

Deno.test("a truncated file in a cache entry is reported, discarded and the worker built", async () => {
  await withWorld(async (w) => {
    await damagedCase(w, async (entry) => {
      const path = join(entry, BIN);
      const text = await Deno.readTextFile(path);
      await Deno.remove(path); // a new inode: the installed r1 copy stays intact
      await Deno.writeTextFile(path, text.slice(0, 5), { mode: 0o755 });
      await Deno.chmod(path, 0o755);
    }, /bytes, not/);
  });
});

Deno.test("a cache entry file replaced by another of the same size (a new inode) is refused on its stamp and never installed", async () => {
  await withWorld(async (w) => {
    await damagedCase(
      w,
      async (entry) => {
        const path = join(entry, BIN);
        const bytes = await Deno.readFile(path);
        const { mtime } = await Deno.lstat(path);
        bytes[bytes.length - 2] ^= 0x01;
        await Deno.remove(path);
        await Deno.writeFile(path, bytes);
        await Deno.chmod(path, 0o755);
        await Deno.utime(path, mtime!, mtime!); // only the inode tells
      },
      /changed since it was stored \(its inode\)/,
    );
  });
});

Deno.test("a cache entry whose manifest is damaged or whose file is missing is discarded", async () => {
  await withWorld(async (w) => {
    await damagedCase(
      w,
      (entry) => Deno.writeTextFile(join(entry, "entry.json"), "{not json"),
      /JSON/,
    );
  });
  await withWorld(async (w) => {
    await damagedCase(w, (entry) => Deno.remove(join(entry, BIN)), /missing/);
  });
});

Deno.test("split recipes and user prefixes install from the cache", async () => {
  await withWorld(async (w) => {
    const home = join(w.dir, "home");
    const user = (name: string) => ({
      root: "/",
      userPrefix: join(home, name, ".local"),
      stateDir: join(home, name, ".local/state/worker-provisioner"),
    });
    const recipe = join(w.catalogDir, "workers/split-worker");
    const a = await w.provisioner(user("a")).provision(recipe);
    const events: Event[] = [];
    const b = await w.provisioner(user("b")).provision(recipe, {
      onEvent: (e) => events.push(e as never),
    });
    assertEquals(cacheState(events), ["hit"]);
    assertEquals(b.packages, a.packages);
    assert(b.packages.length > 1);
    const out = await new Deno.Command(join(home, "b/.local/bin/split-worker"), { stdout: "piped" })
      .output();
    assertEquals(new TextDecoder().decode(out.stdout).trim(), "split-worker-cli");
    assertEquals((await w.provisioner(user("b")).verify("split-worker")).ok, true);
  });
});

Deno.test("cache list shows kept builds and the worker using them; cache clean removes them", async () => {
  await withWorld(async (w) => {
    await provisionInto(w, join(w.dir, "r"), "bin-worker");
    const items = await listCache(w.cacheDir);
    const pkg = items.find((i) => i.path.startsWith("packages/"));
    assert(pkg, JSON.stringify(items));
    assertEquals(pkg.usedBy, ["bin-worker"]);
    assertEquals(pkg.names, ["bin-worker 1.2.0-1 package"]);
    assert(pkg.bytes > 0);
    // the installed files are the entry's (hard links): shared, not freed by removing the entry
    assert(pkg.sharedBytes && pkg.sharedBytes <= pkg.bytes, JSON.stringify(pkg));
    await Deno.remove(join(w.dir, "r"), { recursive: true });
    const alone = (await listCache(w.cacheDir)).find((i) => i.path === pkg.path)!;
    assertEquals([alone.bytes, alone.sharedBytes], [pkg.bytes, undefined]);
  });
});

Deno.test("SIGKILL during an install from the cache is rolled back by the next run; the entry stays whole", async () => {
  await withWorld(async (w) => {
    await provisionInto(w, join(w.dir, "r1"), "bin-worker");
    const root = join(w.dir, "r2");
    await Deno.mkdir(root);
    const before = await snapshot(root);
    await runAndKillAtCrashPoint("provision", {
      catalog: w.server.url,
      root,
      cacheDir: w.cacheDir,
      id: "bin-worker",
      point: "install:applying",
    });
    const p = w.provisioner({ root });
    assertEquals(await p.list(), []);
    assertEquals(outsideState(await snapshot(root, systemStateDir(root)), STATE), before);
    const { events } = await provisionInto(w, root, "bin-worker");
    assertEquals(cacheState(events), ["hit"]);
    assertEquals((await p.verify("bin-worker")).ok, true);
  });
});
