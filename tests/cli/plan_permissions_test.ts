/**
 * `plan --permissions` prints install commands that run exactly as printed:
 * pasted into a shell with a clean environment (no `WORKER_*` variables),
 * and with those variables set, the checkout line installs the planned
 * worker under exactly the flags it names.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { REPO, runCli } from "./_cli.ts";
import { serveWithCli } from "./_serve.ts";
import { testDenoDir } from "../_deno_dir.ts";

const DEMO = join(REPO, "fixtures/demo");

/** Runs `line` in bash with only `env` (plus PATH and the Deno cache) in its environment. */
async function paste(line: string, env: Record<string, string>) {
  const clean: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: testDenoDir(),
    ...env,
  };
  const out = await new Deno.Command("bash", {
    args: ["-c", line],
    clearEnv: true,
    env: clean,
    cwd: "/",
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

function checkoutLine(planText: string): string {
  const lines = planText.trimEnd().split("\n");
  assertEquals(lines[0], "# from this checkout");
  assertEquals(lines[2], "# from JSR");
  assertStringIncludes(lines[3], " jsr:@rbee/worker-provisioner/cli install ");
  assertEquals(lines[4], "# with the compiled binary (its permissions are built in)");
  assert(lines[5].startsWith("worker-provisioner install "), lines[5]);
  return lines[1];
}

Deno.test("the pasted plan --permissions line installs in a clean environment", async () => {
  const t = await Deno.makeTempDir();
  try {
    await using served = await serveWithCli(DEMO);
    const plan = await runCli([
      "plan",
      "demo-hello",
      "--catalog",
      served.url,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
      "--arch",
      Deno.build.arch,
      "--permissions",
    ]);
    assertEquals(plan.code, 0, plan.stderr);
    const line = checkoutLine(plan.stdout);
    assert(!line.includes("--allow-env"), line);
    const run = await paste(line, { HOME: t });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "installed demo-hello");
    assert((await Deno.stat(`${t}/root/usr/local/bin/demo-hello`)).isFile);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("the pasted plan --permissions line installs what was planned from WORKER_* variables", async () => {
  const t = await Deno.makeTempDir();
  try {
    await using served = await serveWithCli(DEMO);
    const env = {
      WORKER_CATALOG_URL: served.url,
      WORKER_PROVISIONER_ROOT: `${t}/root`,
      WORKER_PROVISIONER_CACHE_DIR: `${t}/cache`,
    };
    const plan = await runCli(["plan", "demo-hello", "--permissions"], { env });
    assertEquals(plan.code, 0, plan.stderr);
    const line = checkoutLine(plan.stdout);
    assertStringIncludes(line, `--root ${t}/root --cache-dir ${t}/cache`);
    // The same variables set, or pointing elsewhere: the printed flags decide.
    const run = await paste(line, {
      HOME: t,
      WORKER_PROVISIONER_ROOT: `${t}/elsewhere`,
      WORKER_CATALOG_URL: "http://127.0.0.1:9",
    });
    assertEquals(run.code, 0, run.stderr);
    assert((await Deno.stat(`${t}/root/usr/local/bin/demo-hello`)).isFile);
    assertEquals(await Deno.stat(`${t}/elsewhere`).catch(() => null), null);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
