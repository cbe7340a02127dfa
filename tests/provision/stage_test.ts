/**
 * Staging (`src/provision/_stage.ts`): files moved or taken from a package
 * cache entry, hashed (or their known digests taken while their stamps match), their data flushes overlapped with the hashing and
 * all settled (no file left open) whether staging succeeds or fails.
 */
import { assert, assertEquals, assertNotEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { sha256File } from "../../src/_hash.ts";
import { type KnownFile, stageTrees } from "../../src/provision/_stage.ts";
import { stampOf } from "../../src/provision/_cache_sharing.ts";
import { PackageInvalidError } from "../../src/provision/errors.ts";
import type { Layout } from "../../src/provision/paths.ts";

/** Files of this process open under `dir` (other test modules of the process open their own). */
function openFdsUnder(dir: string): number {
  let n = 0;
  for (const e of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${e.name}`).startsWith(`${dir}/`)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

async function withTree(
  fn: (dir: string, layout: Layout, tree: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wp-stage-test-" });
  try {
    const root = join(dir, "root");
    const layout = { root, stateDir: join(root, "var/lib/wp"), cacheDir: join(dir, "cache") };
    const tree = join(dir, "tree");
    await Deno.mkdir(join(tree, "usr/share/w"), { recursive: true });
    for (let i = 0; i < 100; i++) {
      const bytes = new Uint8Array(1000 + i * 997).map((_, j) => (j * 7 + i) & 0xff);
      await Deno.writeFile(join(tree, `usr/share/w/f${String(i).padStart(3, "0")}`), bytes);
    }
    await fn(dir, layout, tree);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("stageTrees() moves, hashes and stamps every file and leaves no file open", async () => {
  await withTree(async (dir, layout, tree) => {
    const expected = new Map<string, string>();
    for (const e of Deno.readDirSync(join(tree, "usr/share/w"))) {
      expected.set(e.name, await sha256File(join(tree, "usr/share/w", e.name)));
    }
    const staging = join(dir, "staging");
    const entries = await stageTrees(
      layout,
      [{ name: "w", dir: tree }],
      staging,
      undefined,
      "move",
    );
    assertEquals(openFdsUnder(dir), 0);
    const files = entries.filter((e) => e.type === "file");
    assertEquals(files.length, 100);
    for (const f of files) {
      assertEquals(f.sha256, expected.get(f.dest.split("/").at(-1)!));
      const staged = Deno.lstatSync(join(staging, "new", f.staged!));
      assertEquals(f.stamp?.ino, staged.ino);
      assertEquals(f.stamp?.size, staged.size);
      assertEquals(f.source, `w/${f.dest.slice(layout.root.length + 1)}`);
    }
  });
});

Deno.test("stageTrees() that fails midway (a FIFO after 100 files) waits for every flush it started and leaves no file open", async () => {
  await withTree(async (dir, layout, tree) => {
    await new Deno.Command("mkfifo", { args: [join(tree, "usr/share/w/z-fifo")] }).output();
    await assertRejects(
      () => stageTrees(layout, [{ name: "w", dir: tree }], join(dir, "staging"), undefined, "move"),
      PackageInvalidError,
    );
    assertEquals(openFdsUnder(dir), 0);
  });
});

Deno.test("stageTrees() from an entry links a file nobody holds, copies one held elsewhere and a backup file, and takes the manifest's digests", async () => {
  await withTree(async (dir, layout, tree) => {
    const w = join(tree, "usr/share/w");
    Deno.linkSync(join(w, "f001"), join(dir, "held-elsewhere"));
    const files = new Map<string, { sha256: string; backup?: boolean }>();
    for (const e of Deno.readDirSync(w)) {
      files.set(`w/usr/share/w/${e.name}`, { sha256: "a".repeat(64) });
    }
    files.set("w/usr/share/w/f002", { sha256: "b".repeat(64), backup: true });
    const staging = join(dir, "staging");
    const entries = await stageTrees(layout, [{ name: "w", dir: tree }], staging, undefined, {
      files,
      bytes: 0,
    });
    const staged = (name: string) => {
      const e = entries.find((e) => e.dest.endsWith(`/${name}`))!;
      return { entry: e, info: Deno.lstatSync(join(staging, "new", e.staged!)) };
    };
    const linked = staged("f000");
    assertEquals(linked.info.ino, Deno.lstatSync(join(w, "f000")).ino);
    assertEquals(linked.info.nlink, 2);
    assertEquals(linked.entry.sha256, "a".repeat(64), "the manifest's digest, not re-hashed");
    const held = staged("f001");
    assertNotEquals(held.info.ino, Deno.lstatSync(join(w, "f001")).ino);
    assertEquals(held.info.nlink, 1);
    const backup = staged("f002");
    assertNotEquals(backup.info.ino, Deno.lstatSync(join(w, "f002")).ino);
    assertEquals(backup.entry.sha256, "b".repeat(64));
    assertEquals(
      Deno.readFileSync(join(staging, "new", held.entry.staged!)),
      Deno.readFileSync(join(w, "f001")),
    );
    assert(Deno.lstatSync(join(w, "f000")).isFile, "the entry keeps its file");
  });
});

Deno.test("stageTrees() takes a known digest while the file's stamp matches, and hashes a file swapped, rewritten in place (size, mtime) or chmodded since", async () => {
  for (const transfer of ["move", "copy"] as const) {
    await withTree(async (dir, layout, tree) => {
      const at = (name: string) => join(tree, "usr/share/w", name);
      const trusted = "0".repeat(63) + "1"; // not any file's digest: seen only if taken unhashed
      const known = new Map<string, KnownFile>();
      for (const name of ["f000", "f001", "f002", "f003", "f004"]) {
        known.set(`usr/share/w/${name}`, {
          sha256: trusted,
          stamp: stampOf(Deno.lstatSync(at(name))),
        });
      }
      const ino = (name: string) => Deno.lstatSync(at(name)).ino;
      const before = { f001: ino("f001"), f002: ino("f002") };
      Deno.writeTextFileSync(at("f001"), "longer or shorter\n"); // same inode, other size
      const same = new Uint8Array(Deno.statSync(at("f002")).size).fill(7);
      Deno.writeFileSync(at("f002"), same); // same inode and size, mtime moved on below
      const mtime = Deno.statSync(at("f002")).mtime!;
      Deno.utimeSync(at("f002"), mtime, new Date(mtime.getTime() + 1000));
      Deno.writeFileSync(at("f003.new"), Deno.readFileSync(at("f003")));
      Deno.renameSync(at("f003.new"), at("f003")); // swapped: another inode, same bytes
      Deno.chmodSync(at("f004"), 0o600);
      assertEquals({ f001: ino("f001"), f002: ino("f002") }, before);
      const real = new Map<string, string>();
      for (const e of Deno.readDirSync(join(tree, "usr/share/w"))) {
        real.set(e.name, await sha256File(at(e.name)));
      }
      const entries = await stageTrees(
        layout,
        [{ name: "w", dir: tree, known }],
        join(dir, "staging"),
        undefined,
        transfer,
      );
      const got = new Map(
        entries.filter((e) => e.type === "file").map((e) => [e.dest.split("/").pop()!, e.sha256]),
      );
      assertEquals(got.size, 100);
      assertEquals(got.get("f000"), trusted, `${transfer}: an unchanged file is not hashed again`);
      for (const [name, sha256] of got) {
        if (name !== "f000") assertEquals(sha256, real.get(name), `${transfer}: ${name} hashed`);
      }
      assertEquals(openFdsUnder(dir), 0);
    });
  }
});
