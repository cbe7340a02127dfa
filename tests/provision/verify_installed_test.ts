/**
 * `verifyInstalled()`: a worker with nothing but its record is verified
 * without its lock; one with anything left (its lock file, a staging
 * directory) is recovered under its lock first, waiting for a holder.
 */
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { LockBusyError } from "../../mod.ts";
import { acquireLock } from "../../src/provision/lock.ts";
import { statePaths } from "../../src/provision/paths.ts";
import { verifyInstalled } from "../../src/provision/verify_installed.ts";
import { withTempDir } from "./_helpers.ts";
import { ID, installed } from "./_installed_worker.ts";

Deno.test("verifyInstalled() of a worker with nothing but its record takes no lock", async () => {
  await withTempDir(async (dir) => {
    const layout = await installed(dir);
    // A file where the lock directory goes: taking any lock would fail.
    await Deno.writeTextFile(statePaths(layout.stateDir).locksDir, "");
    const report = await verifyInstalled(layout, ID);
    assertEquals([report.ok, report.checked], [true, 1]);
  });
});

Deno.test("verifyInstalled() waits for the worker's lock while another holder has it", async () => {
  await withTempDir(async (dir) => {
    const layout = await installed(dir);
    const held = await acquireLock(statePaths(layout.stateDir).lock(ID), { id: ID });
    try {
      await assertRejects(() => verifyInstalled(layout, ID, { lockTimeoutMs: 0 }), LockBusyError);
    } finally {
      await held.release();
    }
    assert((await verifyInstalled(layout, ID)).ok);
  });
});

Deno.test("verifyInstalled() removes the worker's leftover staging and build directories", async () => {
  await withTempDir(async (dir) => {
    const layout = await installed(dir);
    const staging = join(statePaths(layout.stateDir).stagingDir, `${ID}~tx-2`);
    const build = join(layout.cacheDir, "build", `${ID}~b1`);
    await Deno.mkdir(join(staging, "usr"), { recursive: true });
    await Deno.mkdir(build, { recursive: true });
    assert((await verifyInstalled(layout, ID)).ok);
    assertEquals(await Deno.lstat(staging).catch(() => null), null);
    assertEquals(await Deno.lstat(build).catch(() => null), null);
  });
});
