/**
 * Variables reach recipe functions only when passed: `--env NAME=VALUE`,
 * or `--pass-env NAME` (which needs `--allow-env=NAME`); the rest of the
 * caller's environment stays out, and `plan` names what a build gets.
 */
import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { runCli } from "../cli/_cli.ts";

const RECIPE = `pkgname=env-worker
pkgver=1
pkgrel=1
arch=('any')
package() {
  printf '%s|%s|%s\\n' "\${WP_GREETING-unset}" "\${WP_PASSED-unset}" "\${WP_SECRET-unset}" |
    install -Dm644 /dev/stdin "$pkgdir/usr/local/share/env-worker/env"
}
`;

Deno.test("--env and --pass-env reach the build, nothing else does; --pass-env needs its --allow-env", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(t, "PKGBUILD"), RECIPE);
    const where = [join(t, "PKGBUILD"), "--root", join(t, "root"), "--cache-dir", join(t, "cache")];
    const passing = ["--env", "WP_GREETING=hello world", "--pass-env", "WP_PASSED"];
    const env = { WP_PASSED: "from the caller", WP_SECRET: "token" };

    const denied = await runCli(["install", ...where, ...passing], { env });
    assertEquals(denied.code, 8);
    assertStringIncludes(denied.stderr, "--allow-env=WP_PASSED");

    const flags = COMPILE_PERMISSION_FLAGS.map((f) =>
      f.startsWith("--allow-env=") ? `${f},WP_PASSED,WP_SECRET` : f
    );
    const plan = await runCli(["plan", ...where, ...passing, "--json"], { env, flags });
    assertEquals(plan.code, 0, plan.stderr);
    const variables = JSON.parse(plan.stdout.trim().split("\n").at(-1)!).result.environment
      .variables as string[];
    assertEquals(variables.filter((v) => v.startsWith("WP_")), ["WP_PASSED", "WP_GREETING"]);

    const install = await runCli(["install", ...where, ...passing], { env, flags });
    assertEquals(install.code, 0, install.stderr);
    assertEquals(
      await Deno.readTextFile(join(t, "root/usr/local/share/env-worker/env")),
      "hello world|from the caller|unset\n",
    );
    const bad = await runCli(["install", ...where, "--env", "NOEQUALS"], { env, flags });
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "write it as --env NAME=VALUE");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
