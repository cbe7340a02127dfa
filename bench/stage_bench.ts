/**
 * Staging of a built package tree (`src/provision/_stage.ts`): moving files
 * that lie on the staging filesystem (`consume`, what an install does when
 * the build directory is discarded) against copying them (what it does with
 * `keepBuildDir`, and what it always did before), paired run by run (see
 * `_paired.ts`). Both sides hash every file and flush its data.
 *
 *     deno run -A bench/stage_bench.ts run [MiB] [pairs]
 *
 * The tree: one large file of random bytes (3/4 of the size) and 500 files
 * sharing the rest, like a binary worker with its libraries and data. It is
 * recreated (`cp -a`, then `sync`) before every run, untimed.
 *
 * @module
 */

import { join } from "node:path";
import { stageTrees } from "../src/provision/_stage.ts";
import { runPaired, sh } from "./_paired.ts";

const SELF = new URL(import.meta.url).pathname;

async function stageOnce(tree: string, stagingDir: string, consume: boolean): Promise<void> {
  const layout = { root: "/nonexistent-root", stateDir: stagingDir, cacheDir: stagingDir };
  await stageTrees(
    layout,
    [{ name: "bench", dir: tree }],
    stagingDir,
    undefined,
    consume ? "move" : "copy",
  );
}

async function main(mib: number, pairs: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stage-bench-" });
  const template = join(dir, "template");
  const tree = join(dir, "tree");
  const staging = join(dir, "staging");
  try {
    const big = Math.round((mib * 3) / 4);
    const each = Math.max(1, Math.round(((mib - big) * 1024) / 500));
    await sh(`set -e; mkdir -p ${template}/usr/bin ${template}/usr/lib/w
      head -c ${big}M /dev/urandom > ${template}/usr/bin/worker; chmod 755 ${template}/usr/bin/worker
      head -c $(( ${each} * 500 ))K /dev/urandom | split -b ${each}K -a 3 - ${template}/usr/lib/w/f`);
    const child = (mode: string) => [Deno.execPath(), "run", "-A", SELF, mode, tree, staging];
    await runPaired({
      title: "stage a package tree",
      payload: `${mib} MiB: one ${big} MiB binary + 500 files of ${each} KiB, random bytes`,
      ours: { name: "stageTrees (move)", argv: child("move") },
      baseline: { name: "stageTrees (copy)", argv: child("copy") },
      pairs,
      reset: () => sh(`rm -rf ${tree} ${staging} && cp -a ${template} ${tree} && sync`),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "move" || Deno.args[0] === "copy") {
  await stageOnce(Deno.args[1], Deno.args[2], Deno.args[0] === "move");
} else if (Deno.args[0] === "run") {
  await main(Number(Deno.args[1] ?? 200), Number(Deno.args[2] ?? 5));
} else {
  Deno.bench({
    name: "stage_bench is a script: deno run -A bench/stage_bench.ts run",
    ignore: true,
    fn() {},
  });
}
