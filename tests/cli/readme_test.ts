/**
 * The README's getting-started block runs as printed, line by line, on a
 * fresh HOME as an unprivileged user (`nobody`, by `setpriv`, when the tests run as root),
 * from this checkout; and the permission flags the README prints are the
 * binary's.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { REPO } from "./_cli.ts";
import { testDenoDir } from "../_deno_dir.ts";

/** setpriv arguments that run the rest as `nobody`, environment untouched. */
const DROP_ROOT = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"];

const README = await Deno.readTextFile(join(REPO, "README.md"));

/** The fenced `sh` block right after the line containing `marker`. */
function blockAfter(marker: string): string {
  const at = README.indexOf(marker);
  assert(at >= 0, `README has no ${marker}`);
  const open = README.indexOf("```sh\n", at);
  const close = README.indexOf("\n```", open + 6);
  return README.slice(open + 6, close + 1);
}

/** The `--allow-*`/`--no-prompt` flags of a (backslash-continued) command. */
function flagsOf(command: string): string[] {
  return command.replaceAll("\\\n", " ").split(/\s+/).filter((w) =>
    w.startsWith("--allow-") || w === "--no-prompt"
  );
}

Deno.test("the README prints exactly the binary's permission flags for deno install and deno run", () => {
  const gettingStarted = blockAfter("<!-- getting-started");
  assertEquals(flagsOf(gettingStarted), [...COMPILE_PERMISSION_FLAGS]);
  const jsr = blockAfter("straight from JSR");
  assertEquals(flagsOf(jsr), [...COMPILE_PERMISSION_FLAGS]);
});

Deno.test("the README's getting-started commands run as printed on a fresh HOME", async () => {
  const home = await Deno.makeTempDir({ prefix: "wp-readme-home-" });
  try {
    await Deno.chmod(home, 0o777);
    const script = `set -euo pipefail\ncd ${REPO}\n${blockAfter("<!-- getting-started")}`;
    const asRoot = Deno.uid() === 0;
    const env = {
      HOME: home,
      PATH: `${join(Deno.execPath(), "..")}:/usr/local/bin:/usr/bin:/bin`,
      DENO_NO_UPDATE_CHECK: "1",
      // Deno's npm packages from the shared test cache: no test reaches the npm registry.
      DENO_DIR: testDenoDir(),
    };
    const out = await new Deno.Command(asRoot ? "/usr/bin/setpriv" : "bash", {
      args: asRoot ? [...DROP_ROOT, "bash", "-c", script] : ["-c", script],
      clearEnv: true,
      env,
      cwd: home,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, `${stdout}\n${stderr}`);
    assertStringIncludes(stdout, "demo-hello");
    assertStringIncludes(stdout, "hello from demo-hello 1.0.0");
    assertStringIncludes(stdout, `installed demo-hello 1.0.0-1`);
    assertStringIncludes(stdout, `${home}/.local/bin/demo-hello`);
    assertStringIncludes(stdout, "uninstalled demo-hello 1.0.0-1");
    // Everything went under the fresh HOME: the shim, the worker's files (now removed), the state.
    assert((await Deno.stat(`${home}/.local/bin/worker-provisioner`)).isFile);
    assertEquals(await Deno.stat(`${home}/.local/bin/demo-hello`).catch(() => null), null);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
