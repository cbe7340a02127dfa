/**
 * The CLI on a real aarch64 Deno under qemu-user: the host architecture it
 * detects picks the aarch64 sources. Runs only where `qemu-aarch64-static`
 * and an aarch64 Deno are present; `DENO_AARCH64` names the latter, e.g.
 *
 *     npm pack @deno/linux-arm64-glibc@2.9.6 && tar xzf deno-linux-arm64-glibc-2.9.6.tgz
 *     dpkg --add-architecture arm64 && apt-get update
 *     apt-get install -y qemu-user-static libc6:arm64 libgcc-s1:arm64
 *     DENO_AARCH64=$PWD/package/deno deno test -A tests/cli/aarch64_test.ts
 */
import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { CLI_PATH, REPO } from "./_cli.ts";

async function available(): Promise<string | undefined> {
  const deno = Deno.env.get("DENO_AARCH64");
  if (!deno) return undefined;
  try {
    await Deno.stat(deno);
    const probe = await new Deno.Command("qemu-aarch64-static", {
      args: ["--version"],
      stdout: "null",
    })
      .output();
    return probe.success ? deno : undefined;
  } catch {
    return undefined;
  }
}

const DENO_AARCH64 = await available();

Deno.test({
  name: "cli.ts on an aarch64 Deno (qemu) plans the aarch64 tarball of the demo worker",
  ignore: DENO_AARCH64 === undefined,
  fn: async () => {
    const t = await Deno.makeTempDir();
    try {
      const out = await new Deno.Command("qemu-aarch64-static", {
        args: [
          "-L",
          "/",
          DENO_AARCH64!,
          "run",
          ...COMPILE_PERMISSION_FLAGS,
          CLI_PATH,
          "plan",
          "demo-hello",
          "--catalog",
          join(REPO, "fixtures/demo"),
          "--root",
          `${t}/root`,
          "--cache-dir",
          `${t}/cache`,
        ],
        cwd: REPO,
        env: { DENO_NO_UPDATE_CHECK: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      assertStringIncludes(stdout, "demo-hello 1.0.0-1 for linux/aarch64");
      assertStringIncludes(stdout, "demo-hello-1.0.0-aarch64.tar.gz");
    } finally {
      await Deno.remove(t, { recursive: true });
    }
  },
});
