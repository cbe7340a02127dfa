/**
 * `deno install -g` of the CLI from a clean `git clone` of this checkout,
 * with the permission flags of the compiled binary, gives a working
 * `worker-provisioner` command (the README's install line).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals, assertMatch } from "../_assert.ts";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

async function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args: [...args],
    cwd,
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("deno install -g of cli.ts from a clean clone gives a worker-provisioner command that searches the demo catalog", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-install-" });
  try {
    const clone = join(dir, "clone");
    const cloned = await run("git", ["clone", "--quiet", REPO, clone], dir);
    assertEquals(cloned.code, 0, cloned.stderr);
    const installRoot = join(dir, "install");
    const installed = await run(Deno.execPath(), [
      "install",
      "-g",
      "--root",
      installRoot,
      "-n",
      "worker-provisioner",
      ...COMPILE_PERMISSION_FLAGS,
      join(clone, "cli.ts"),
    ], dir);
    assertEquals(installed.code, 0, installed.stderr);
    const search = await run(
      join(installRoot, "bin", "worker-provisioner"),
      ["search", "--catalog", "fixtures/demo"],
      clone,
    );
    assertEquals(search.code, 0, search.stderr);
    assertMatch(search.stdout, /^demo-build +1\.0\.0 .*\ndemo-hello +1\.0\.0 .*\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
