/**
 * Cases of the state fault matrix about damage: records of every broken
 * shape, a full and a read-only file system (small tmpfs mounts).
 *
 * @module
 */

import { join } from "node:path";
import {
  type CaseResult,
  check as checkIn,
  exits,
  filesUnder,
  noLeftovers,
  simpleRecipe,
  type World,
} from "./_faults.ts";

/** Damaged records of every shape: named with the fix, others usable, moved aside by doctor. */
export async function damagedRecords(results: CaseResult[], w: World): Promise<void> {
  const check = checkIn.bind(null, results);
  const good = await w.recipe("good", simpleRecipe("good"));
  const setup = await w.cli(["install", good, ...w.where()]);
  const valid = JSON.parse(await Deno.readTextFile(join(w.state, "workers/good/record.json")));
  const shapes: [string, string | null][] = [
    ["wrong-types", JSON.stringify({ ...valid, id: "wrong-types", files: [{ path: 42 }] })],
    ["truncated", JSON.stringify({ ...valid, id: "truncated" }).slice(0, 40)],
    ["empty", ""],
    ["not-an-object", "null"],
    ["unreadable", null], // record.json is a directory
    ["other-id", JSON.stringify(valid)],
    [
      "outside-root",
      JSON.stringify({ ...valid, id: "outside-root", executables: [`${w.outside}/victim`] }),
    ],
  ];
  for (const [id, text] of shapes) {
    await Deno.mkdir(join(w.state, "workers", id), { recursive: true });
    if (text === null) await Deno.mkdir(join(w.state, "workers", id, "record.json"));
    else await Deno.writeTextFile(join(w.state, "workers", id, "record.json"), text);
  }
  const list = await w.cli(["list", "--json", ...w.where()]);
  const listed = list.code === 0
    ? JSON.parse(list.stdout.trim().split("\n").at(-1)!).result.map((r: { id: string }) => r.id)
    : [];
  const listText = await w.cli(["list", ...w.where()]);
  const verifyGood = await w.cli(["verify", "good", ...w.where()]);
  const verifyBad = await w.cli(["verify", "wrong-types", ...w.where()]);
  const uninstallBad = await w.cli(["uninstall", "outside-root", "--force", ...w.where()]);
  const doctor = await w.cli(["doctor", ...w.where()]);
  const repair = await w.cli(["doctor", "--repair", ...w.where()]);
  const after = await w.cli(["list", ...w.where()]);
  const aside = (await filesUnder(join(w.state, "damaged"), true)).join("\n");
  for (const [id] of shapes) {
    await check(w, "damaged record", id, () =>
      Promise.resolve([
        exits(setup, 0, "install good"),
        exits(list, 0, "list"),
        !listed.includes("good") && "good is not listed",
        !listText.stderr.includes(`workers/${id}/record.json`) && "list does not name it",
        !listText.stderr.includes("doctor --repair") && "list does not give the fix",
        exits(verifyGood, 0, "verify good"),
        exits(verifyBad, 23, "verify wrong-types"),
        exits(uninstallBad, 23, "uninstall outside-root"),
        exits(doctor, 23, "doctor"),
        !doctor.stdout.includes(`workers/${id}/record.json`) && "doctor does not name it",
        exits(repair, 0, "doctor --repair"),
        !aside.includes(`/damaged/${id}.`) && "not moved aside",
        after.stderr.includes("damaged") && "still reported after repair",
      ]));
  }
}

async function withTmpfs<T>(dir: string, size: string, fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(dir, { recursive: true });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
  }).output();
  if (!mount.success) throw new Error(`mount failed: ${new TextDecoder().decode(mount.stderr)}`);
  try {
    return await fn();
  } finally {
    await new Deno.Command("mount", { args: ["-o", "remount,rw", dir] }).output();
    await new Deno.Command("umount", { args: [dir] }).output();
  }
}

/** A full disk (free-space check and ENOSPC) and a read-only root. */
export async function disks(results: CaseResult[], w: World): Promise<void> {
  const check = checkIn.bind(null, results);
  const small = join(w.dir, "small");
  await withTmpfs(small, "2m", async () => {
    const root = join(small, "root");
    await check(w, "disk", "full disk: a package larger than the free space", async () => {
      const dir = await w.recipe(
        "big",
        simpleRecipe(
          "big",
          "1",
          `  head -c 3000000 /dev/zero > "$pkgdir/usr/local/share/big/blob"\n`,
        ),
      );
      const ran = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
      return [
        exits(ran, 15),
        await noLeftovers(w, root),
        (await filesUnder(join(root, "usr"))).length > 0 && "files left in the root",
      ];
    });
    await check(w, "disk", "full disk: uninstall on a full file system", async () => {
      const dir = await w.recipe("tiny", simpleRecipe("tiny"));
      const install = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
      const filler = join(small, "filler");
      using f = await Deno.open(filler, { write: true, create: true });
      try {
        for (;;) await f.write(new Uint8Array(64 * 1024));
      } catch {
        // full
      }
      const uninstall = await w.cli(["uninstall", "tiny", ...w.where(root)]);
      await Deno.remove(filler);
      const verify = await w.cli(["verify", "tiny", ...w.where(root)]);
      return [
        exits(install, 0, "install"),
        exits(uninstall, 15, "uninstall"),
        exits(verify, 0, "verify after"),
        await noLeftovers(w, root),
      ];
    });
  });
  const ro = join(w.dir, "ro");
  await withTmpfs(ro, "8m", async () => {
    const root = join(ro, "root");
    const dir = await w.recipe("rotiny", simpleRecipe("rotiny"));
    const other = await w.recipe("roother", simpleRecipe("roother"));
    const install = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
    await new Deno.Command("mount", { args: ["-o", "remount,ro", ro] }).output();
    await check(w, "disk", "read-only root: install", async () => {
      const ran = await w.cli(["install", other, "--cache-dir", w.cache, ...w.where(root)]);
      return [
        exits(install, 0, "setup"),
        exits(ran, 8),
        !ran.stderr.includes("read-only") && "no read-only message",
      ];
    });
    await check(w, "disk", "read-only root: uninstall and list", async () => {
      const uninstall = await w.cli(["uninstall", "rotiny", ...w.where(root)]);
      const list = await w.cli(["list", ...w.where(root)]);
      return [
        exits(uninstall, 8, "uninstall"),
        exits(list, 0, "list"),
        !list.stdout.includes("rotiny") && "not listed",
      ];
    });
  });
}
