import { assert, assertEquals } from "../../_assert.ts";
import { join } from "node:path";
import { freeBytes } from "../../../src/source/protocols/free_space.ts";
import { withTempDir } from "../_helpers.ts";

const MODULE = new URL("../../../src/source/protocols/free_space.ts", import.meta.url).href;

/** Runs `code` (importing free_space.ts) in a fresh Deno with only `flags`; returns its stdout. */
async function runWith(flags: string[], dir: string, code: string): Promise<string> {
  const script = join(dir, "probe.ts");
  await Deno.writeTextFile(script, `import * as fs from ${JSON.stringify(MODULE)};\n${code}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...flags, script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, stderr);
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("freeBytes() reads the free space of a directory with the statfs permission", async () => {
  await withTempDir(async (dir) => {
    const free = await freeBytes(dir);
    assert(free !== undefined && free > 0, `free: ${free}`);
  });
});

Deno.test("without --allow-sys=statfs the free-space check is skipped, not an error", async () => {
  await withTempDir(async (dir) => {
    const code = `console.log(String(await fs.freeBytes(${JSON.stringify(dir)})));\n` +
      `await fs.assertFreeSpace(${JSON.stringify(dir)}, Number.MAX_SAFE_INTEGER, "x");\n` +
      `console.log("skipped");`;
    assertEquals(await runWith(["--allow-read"], dir, code), "undefined\nskipped");
    // The same probe with the permission reads the number and refuses what cannot fit.
    const granted = await runWith(
      ["--allow-read", "--allow-sys=statfs"],
      dir,
      `console.log(String(await fs.freeBytes(${JSON.stringify(dir)})));\n` +
        `await fs.assertFreeSpace(${JSON.stringify(dir)}, Number.MAX_SAFE_INTEGER, "x")` +
        `.catch((e) => console.log(e.code));`,
    );
    const [free, code2] = granted.split("\n");
    assert(Number(free) > 0, granted);
    assertEquals(code2, "DISK_FULL");
  });
});
