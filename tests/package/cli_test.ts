/**
 * The CLI under the compiled binary's permission flags: `build` writes a
 * package, `push` uploads it to docker-registry, `install oci://...`
 * installs it on a node, and `plan`/`install --binary-cache DIR --push`
 * say and do build-once-then-install.
 */

import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { runCli } from "../cli/_cli.ts";
import { haveRegistry, startRegistry, writeTinyRecipe } from "../oci/_registry.ts";

const work = await Deno.makeTempDir({ prefix: "wp-pkg-cli-" });
const recipe = await writeTinyRecipe(join(work, "recipe"), "cli-worker", "2.0");

function lastJson(stdout: string) {
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

Deno.test({
  name: "build, push and install oci:// through the CLI; a second build gives the same bytes",
  ignore: !haveRegistry(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const registry = await startRegistry(join(work, "registry"));
    try {
      const common = ["--cache-dir", join(work, "cache"), "--arch", "x86_64"];
      const built = await runCli([
        "build",
        recipe,
        "--output",
        join(work, "out"),
        "--source-date-epoch",
        "1700000000",
        "--json",
        ...common,
      ]);
      assertEquals(built.code, 0, built.stderr);
      const result = lastJson(built.stdout).result;
      const pkg = result.packages[0];
      assertEquals(pkg.path, join(work, "out", "cli-worker-2.0-1-x86_64.pkg.tar.zst"));
      const again = await runCli([
        "build",
        recipe,
        "--output",
        join(work, "out2"),
        "--source-date-epoch",
        "1700000000",
        "--json",
        ...common,
      ]);
      assertEquals(lastJson(again.stdout).result.packages[0].sha256, pkg.sha256);
      const pushed = await runCli(["push", pkg.path, `oci://${registry.host}/rbee/cli-worker`]);
      assertEquals(pushed.code, 0, pushed.stderr);
      assert(pushed.stdout.includes(`oci://${registry.host}/rbee/cli-worker:2.0-1`), pushed.stdout);
      const root = join(work, "node");
      const installed = await runCli([
        "install",
        `oci://${registry.host}/rbee/cli-worker:2.0-1`,
        "--root",
        root,
        "--arch",
        "x86_64",
      ]);
      assertEquals(installed.code, 0, installed.stderr);
      assert(installed.stdout.startsWith("installed cli-worker 2.0-1 (x86_64"), installed.stdout);
      const missing = await runCli([
        "install",
        `oci://${registry.host}/rbee/cli-worker:9.9`,
        "--root",
        root,
      ]);
      assertEquals(missing.code, 3, missing.stderr);
    } finally {
      await registry.stop();
    }
  },
});

Deno.test("plan and install --binary-cache DIR --push: a miss builds and publishes, the next node installs the package", async () => {
  const cache = join(work, "bincache");
  const args = (
    root: string,
  ) => ["--root", join(work, root), "--arch", "x86_64", "--binary-cache", cache];
  const before = await runCli(["plan", recipe, ...args("a"), "--push"]);
  assertEquals(before.code, 0, before.stderr);
  assert(before.stdout.includes("miss: builds, publishes the package, installs it"), before.stdout);
  const first = await runCli(["install", recipe, ...args("a"), "--push"]);
  assertEquals(first.code, 0, first.stderr);
  const after = await runCli(["plan", recipe, ...args("b")]);
  assert(after.stdout.includes("hit: installs the cached package, no build"), after.stdout);
  const second = await runCli(["install", recipe, ...args("b"), "--json"]);
  assertEquals(second.code, 0, second.stderr);
  const events = second.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(events.filter((e) => e.type === "provision.step" && e.step === "run").length, 0);
  assertEquals(events.at(-1).result.id, "cli-worker");
});

Deno.test({
  name: "the CLI package work directory is removed",
  fn: () => Deno.remove(work, { recursive: true }),
});
