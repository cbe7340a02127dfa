/**
 * The sharing policy of the local package cache
 * (`src/provision/_cache_sharing.ts`): a cold install hard-links its
 * installed files into the entry, an entry file is shared with at most one
 * root, `backup` files never, an in-place edit in the sharing root is
 * detected by the entry's stamps and never reaches another root, the deep
 * check catches what the stamps cannot, and SIGKILLs leave nothing half
 * made. Real recipes, real builds in bash, real files and inodes.
 */
import { assert, assertEquals, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { systemStateDir } from "../../src/provision/paths.ts";
import {
  checkEntryContent,
  checkEntryTree,
  listPackageCache,
  readEntry,
} from "../../src/provision/package_cache.ts";
import { runAndKillAtCrashPoint } from "./_child.ts";
import { makeTree } from "./_helpers.ts";
import { withWorld, type World } from "./_world.ts";

type Event = { type: string; step?: string; state?: string; reason?: string };

async function provisionInto(w: World, root: string, id: string, options = {}) {
  await Deno.mkdir(root, { recursive: true });
  const events: Event[] = [];
  const worker = await w.provisioner({ root, ...options }).provision(id, {
    onEvent: (e) => events.push(e as never),
  });
  return { worker, events };
}

function cacheState(events: readonly Event[]): string[] {
  return events.filter((e) => e.type === "provision.cached").map((e) => e.state!);
}

function built(events: readonly Event[]): boolean {
  return events.some((e) => e.type === "run.phase");
}

/** The complete entries of worker `id` (temporary ones left out). */
async function entriesOf(w: World, id: string): Promise<string[]> {
  return (await listPackageCache(w.cacheDir))
    .filter((e) => e.id === id && !e.incomplete)
    .map((e) => join(w.cacheDir, e.path));
}

async function onlyEntry(w: World, id: string): Promise<string> {
  const entries = await entriesOf(w, id);
  assertEquals(entries.length, 1, JSON.stringify(entries));
  return entries[0];
}

const BIN_REL = "usr/local/bin/bin-worker";
const entryBin = (entry: string) => join(entry, "tree/bin-worker", BIN_REL);

Deno.test("a cold install hard-links its installed files into the entry; an install into a second root while the first holds them copies", async () => {
  await withWorld(async (w) => {
    const r1 = join(w.dir, "r1");
    const r2 = join(w.dir, "r2");
    const first = await provisionInto(w, r1, "bin-worker");
    assertEquals(cacheState(first.events), ["stored"]);
    const entry = await onlyEntry(w, "bin-worker");
    const kept = Deno.lstatSync(entryBin(entry));
    const inR1 = Deno.lstatSync(join(r1, BIN_REL));
    assertEquals(kept.ino, inR1.ino, "the entry's file is the installed one");
    assertEquals(kept.nlink, 2);
    const second = await provisionInto(w, r2, "bin-worker");
    assertEquals(cacheState(second.events), ["hit"]);
    const inR2 = Deno.lstatSync(join(r2, BIN_REL));
    assertNotEquals(inR2.ino, kept.ino, "r2 shares the file r1 holds");
    assertEquals(inR2.nlink, 1);
    assertEquals(Deno.lstatSync(entryBin(entry)).nlink, 2);
    assertEquals(Deno.readFileSync(join(r2, BIN_REL)), Deno.readFileSync(join(r1, BIN_REL)));
    assertEquals((await w.provisioner({ root: r2 }).verify("bin-worker")).ok, true);
  });
});

Deno.test("uninstalling the linked root leaves the entry whole (link count 1); the next install links it", async () => {
  await withWorld(async (w) => {
    const r1 = join(w.dir, "r1");
    const r2 = join(w.dir, "r2");
    await provisionInto(w, r1, "bin-worker");
    const entry = await onlyEntry(w, "bin-worker");
    await w.provisioner({ root: r1 }).remove("bin-worker");
    assertEquals(Deno.lstatSync(entryBin(entry)).nlink, 1);
    const read = await readEntry(w.cacheDir, "bin-worker", entry.split("/").at(-1)!);
    assert(read.state === "ok");
    assertEquals(await checkEntryTree(read.entry, read.dir), null);
    const second = await provisionInto(w, r2, "bin-worker");
    assertEquals(cacheState(second.events), ["hit"]);
    assert(!built(second.events));
    const inR2 = Deno.lstatSync(join(r2, BIN_REL));
    assertEquals(inR2.ino, Deno.lstatSync(entryBin(entry)).ino);
    assertEquals(inR2.nlink, 2);
    assertEquals((await w.provisioner({ root: r2 }).verify("bin-worker")).ok, true);
    // uninstall again: the entry is alone and still used by a third root
    await w.provisioner({ root: r2 }).remove("bin-worker");
    assertEquals(Deno.lstatSync(entryBin(entry)).nlink, 1);
    const third = await provisionInto(w, join(w.dir, "r3"), "bin-worker");
    assertEquals(cacheState(third.events), ["hit"]);
  });
});

const EDITS: [string, (path: string) => void][] = [
  [">> append", (path) => Deno.writeTextFileSync(path, "edited in place\n", { append: true })],
  ["truncate", (path) => Deno.truncateSync(path, 3)],
];

for (const [name, edit] of EDITS) {
  Deno.test(`an in-place edit (${name}) in the root sharing an entry file is detected at the next install into another root, which gets the pristine build`, async () => {
    await withWorld(async (w) => {
      const r1 = join(w.dir, "r1");
      const r2 = join(w.dir, "r2");
      const first = await provisionInto(w, r1, "bin-worker");
      const pristine = Deno.readFileSync(join(r1, BIN_REL));
      const entry = await onlyEntry(w, "bin-worker");
      assertEquals(Deno.lstatSync(entryBin(entry)).ino, Deno.lstatSync(join(r1, BIN_REL)).ino);
      edit(join(r1, BIN_REL));
      const edited = Deno.readFileSync(join(r1, BIN_REL));
      const editedIno = Deno.lstatSync(join(r1, BIN_REL)).ino;
      const second = await provisionInto(w, r2, "bin-worker");
      const report = second.events.find((e) => e.state === "damaged");
      assert(report, JSON.stringify(cacheState(second.events)));
      assert(/changed since it was stored|bytes, not/.test(report.reason ?? ""), report.reason);
      assert(built(second.events), "the worker must be built after a damaged entry");
      assertEquals(cacheState(second.events), ["damaged", "stored"]);
      assertEquals(Deno.readFileSync(join(r2, BIN_REL)), pristine);
      assertEquals((await w.provisioner({ root: r2 }).verify("bin-worker")).ok, true);
      // root A's file is untouched by us: same inode, same edited bytes, no other name now
      assertEquals(Deno.readFileSync(join(r1, BIN_REL)), edited);
      const now = Deno.lstatSync(join(r1, BIN_REL));
      assertEquals(now.ino, editedIno);
      assertEquals(now.nlink, 1, "the damaged entry's names were removed");
      assert(Object.keys(first.worker.sha256).length > 0);
      const fresh = await onlyEntry(w, "bin-worker");
      assertEquals(Deno.readFileSync(entryBin(fresh)), pristine);
    });
  });
}

Deno.test("backup files are never linked, neither into the entry nor out of it", async () => {
  await withWorld(async (w) => {
    const recipe = join(w.dir, "recipe");
    await makeTree(recipe, {
      PKGBUILD: `pkgname=conf-worker
pkgver=1.0
pkgrel=1
arch=(any)
backup=('etc/conf-worker.conf')
package() {
  mkdir -p "$pkgdir/usr/bin" "$pkgdir/etc"
  printf '#!/bin/sh\\necho conf\\n' > "$pkgdir/usr/bin/conf-worker"
  chmod 755 "$pkgdir/usr/bin/conf-worker"
  printf 'threads=4\\n' > "$pkgdir/etc/conf-worker.conf"
}
`,
    });
    const r1 = join(w.dir, "r1");
    const first = await provisionInto(w, r1, recipe);
    assertEquals(cacheState(first.events), ["stored"]);
    const entry = await onlyEntry(w, "conf-worker");
    const tree = join(entry, "tree/conf-worker");
    const manifest = JSON.parse(Deno.readTextFileSync(join(entry, "entry.json")));
    const conf = manifest.files.find((f: { path: string }) => f.path.endsWith(".conf"));
    assertEquals(conf.backup, true);
    assertNotEquals(
      Deno.lstatSync(join(tree, "etc/conf-worker.conf")).ino,
      Deno.lstatSync(join(r1, "etc/conf-worker.conf")).ino,
    );
    assertEquals(Deno.lstatSync(join(r1, "etc/conf-worker.conf")).nlink, 1);
    assertEquals(Deno.lstatSync(join(r1, "usr/bin/conf-worker")).nlink, 2);
    await w.provisioner({ root: r1 }).remove("conf-worker");
    const r2 = join(w.dir, "r2");
    const second = await provisionInto(w, r2, recipe);
    assertEquals(cacheState(second.events), ["hit"]);
    assertEquals(Deno.lstatSync(join(r2, "usr/bin/conf-worker")).nlink, 2, "not linked");
    const confInR2 = Deno.lstatSync(join(r2, "etc/conf-worker.conf"));
    assertEquals(confInR2.nlink, 1);
    assertNotEquals(confInR2.ino, Deno.lstatSync(join(tree, "etc/conf-worker.conf")).ino);
    assertEquals(Deno.readTextFileSync(join(r2, "etc/conf-worker.conf")), "threads=4\n");
    // the operator edits the backup file: the entry does not change
    Deno.writeTextFileSync(join(r2, "etc/conf-worker.conf"), "threads=8\n");
    assertEquals(Deno.readTextFileSync(join(tree, "etc/conf-worker.conf")), "threads=4\n");
  });
});

Deno.test("the deep check catches a same-size change with the mtime restored, which the stamps cannot see", async () => {
  await withWorld(async (w) => {
    const r1 = join(w.dir, "r1");
    await provisionInto(w, r1, "bin-worker");
    const pristine = Deno.readFileSync(join(r1, BIN_REL));
    await w.provisioner({ root: r1 }).remove("bin-worker");
    const entry = await onlyEntry(w, "bin-worker");
    const path = entryBin(entry);
    const before = Deno.lstatSync(path);
    const bytes = Deno.readFileSync(path);
    bytes[bytes.length - 2] ^= 0x01;
    Deno.writeFileSync(path, bytes); // same inode, same size
    Deno.utimeSync(path, before.atime!, before.mtime!);
    const read = await readEntry(w.cacheDir, "bin-worker", entry.split("/").at(-1)!);
    assert(read.state === "ok");
    assertEquals(await checkEntryTree(read.entry, read.dir), null, "the stamps match");
    assert(/sha256/.test((await checkEntryContent(read.entry, read.dir)) ?? ""));
    const r2 = join(w.dir, "r2");
    const deep = await provisionInto(w, r2, "bin-worker", { packageCache: "deep" });
    const report = deep.events.find((e) => e.state === "damaged");
    assert(/sha256/.test(report?.reason ?? ""), report?.reason);
    assertEquals(cacheState(deep.events), ["damaged", "stored"]);
    assert(built(deep.events));
    assertEquals(Deno.readFileSync(join(r2, BIN_REL)), pristine);
    const fresh = await readEntry(w.cacheDir, "bin-worker", entry.split("/").at(-1)!);
    assert(fresh.state === "ok");
    assertEquals(await checkEntryContent(fresh.entry, fresh.dir), null);
  });
});

Deno.test("SIGKILL between the commit and the entry: the install stands, no entry is half made, the next install builds", async () => {
  await withWorld(async (w) => {
    const r1 = join(w.dir, "r1");
    await Deno.mkdir(r1);
    await runAndKillAtCrashPoint("provision", {
      catalog: w.server.url,
      root: r1,
      cacheDir: w.cacheDir,
      id: "bin-worker",
      point: "cache:storing",
    });
    assertEquals(await entriesOf(w, "bin-worker"), [], "an entry was stored");
    const p1 = w.provisioner({ root: r1 });
    assertEquals((await p1.list()).map((x) => x.id), ["bin-worker"]);
    assertEquals((await p1.verify("bin-worker")).ok, true);
    const second = await provisionInto(w, join(w.dir, "r2"), "bin-worker");
    assert(built(second.events));
    assertEquals(cacheState(second.events), ["stored"]);
    const third = await provisionInto(w, join(w.dir, "r3"), "bin-worker");
    assertEquals(cacheState(third.events), ["hit"]);
  });
});

Deno.test("SIGKILL while installing linked files from the entry: rolled back by the next run, the entry's links back to 1", async () => {
  await withWorld(async (w) => {
    await provisionInto(w, join(w.dir, "r1"), "bin-worker");
    await w.provisioner({ root: join(w.dir, "r1") }).remove("bin-worker");
    const entry = await onlyEntry(w, "bin-worker");
    const root = join(w.dir, "r2");
    await Deno.mkdir(root);
    await runAndKillAtCrashPoint("provision", {
      catalog: w.server.url,
      root,
      cacheDir: w.cacheDir,
      id: "bin-worker",
      point: "install:applying",
    });
    const p = w.provisioner({ root });
    assertEquals(await p.list(), []);
    const stale = [...Deno.readDirSync(systemStateDir(root))].map((e) => e.name);
    assert(!stale.includes("journal"), stale.join(" "));
    assertEquals(Deno.lstatSync(entryBin(entry)).nlink, 1);
    const { events } = await provisionInto(w, root, "bin-worker");
    assertEquals(cacheState(events), ["hit"]);
    assertEquals(Deno.lstatSync(join(root, BIN_REL)).ino, Deno.lstatSync(entryBin(entry)).ino);
    assertEquals((await p.verify("bin-worker")).ok, true);
  });
});

/** A directory on another filesystem than the temp directory the roots live in, if there is one. */
function otherFilesystem(): string | null {
  try {
    const tmp = Deno.makeTempDirSync();
    const dev = Deno.statSync(tmp).dev;
    Deno.removeSync(tmp);
    return Deno.statSync("/dev/shm").dev !== dev ? "/dev/shm" : null;
  } catch {
    return null;
  }
}

const OTHER_FS = otherFilesystem();

Deno.test({
  name: "a cache on another filesystem than the root keeps and installs copies",
  ignore: OTHER_FS === null,
  async fn() {
    await withWorld(async (w) => {
      const cacheDir = Deno.makeTempDirSync({ dir: OTHER_FS!, prefix: "wp-cache-" });
      try {
        const r1 = join(w.dir, "r1");
        const first = await provisionInto(w, r1, "bin-worker", { cacheDir });
        assertEquals(cacheState(first.events), ["stored"]);
        const entries = (await listPackageCache(cacheDir)).filter((e) => !e.incomplete);
        assertEquals(entries.length, 1);
        const kept = Deno.lstatSync(entryBin(join(cacheDir, entries[0].path)));
        assertEquals(kept.nlink, 1);
        assertEquals(Deno.lstatSync(join(r1, BIN_REL)).nlink, 1);
        await w.provisioner({ root: r1 }).remove("bin-worker");
        const r2 = join(w.dir, "r2");
        const second = await provisionInto(w, r2, "bin-worker", { cacheDir });
        assertEquals(cacheState(second.events), ["hit"]);
        assertEquals(Deno.lstatSync(join(r2, BIN_REL)).nlink, 1);
        assertEquals((await w.provisioner({ root: r2 }).verify("bin-worker")).ok, true);
      } finally {
        Deno.removeSync(cacheDir, { recursive: true });
      }
    });
  },
});
