/**
 * examples/ansible/playbook.yml against two local "hosts" (two install
 * roots, `ansible_connection=local`): both install the package one build
 * published to a directory cache, a second run changes nothing, and a
 * failing install fails its host.
 */

import { assert, assertEquals } from "../_assert.ts";
import { testDenoDir } from "../_deno_dir.ts";
import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { CLI_PATH, REPO, runCli } from "../cli/_cli.ts";
import { writeTinyRecipe } from "../oci/_registry.ts";

const haveAnsible = (() => {
  try {
    return Deno.statSync("/usr/bin/ansible-playbook").isFile;
  } catch {
    return false;
  }
})();

/** Runs the example playbook with `extra` variables; resolves with its exit code and output. */
async function playbook(work: string, inventory: string, extra: Record<string, string>) {
  const args = ["-i", inventory, join(REPO, "examples/ansible/playbook.yml")];
  args.push("-e", JSON.stringify(extra));
  const out = await new Deno.Command("ansible-playbook", {
    args,
    env: {
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_HOST_KEY_CHECKING: "False",
      ANSIBLE_LOCAL_TEMP: join(work, "ansible-tmp"),
      ANSIBLE_REMOTE_TEMP: join(work, "ansible-tmp"),
      ANSIBLE_RETRY_FILES_ENABLED: "False",
      ANSIBLE_PYTHON_INTERPRETER: "/usr/bin/python3",
      HOME: work,
      DENO_DIR: testDenoDir(),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

/** `host : ok=N changed=N ... failed=N` of the play recap. */
function recap(text: string, host: string): Record<string, number> {
  const line = text.split("\n").find((l) => l.startsWith(`${host} `) && l.includes("ok="));
  assert(line, `no recap line for ${host}:\n${text}`);
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

Deno.test({
  name:
    "the Ansible example installs one build on two hosts, is idempotent, and fails a host whose install fails",
  ignore: !haveAnsible,
  async fn() {
    const work = await Deno.makeTempDir({ prefix: "wp-ansible-" });
    try {
      const recipe = await writeTinyRecipe(join(work, "recipe"), "fleet-worker", "3.1");
      const cache = join(work, "cache");
      const seed = await runCli([
        "install",
        recipe,
        "--root",
        join(work, "builder"),
        "--binary-cache",
        cache,
        "--push",
      ]);
      assertEquals(seed.code, 0, seed.stderr);
      const inventory = join(work, "inventory.ini");
      await Deno.writeTextFile(
        inventory,
        `[hives]\nnode-a wp_root=${join(work, "node-a")}\nnode-b wp_root=${
          join(work, "node-b")
        }\n\n` +
          `[hives:vars]\nansible_connection=local\n`,
      );
      const vars = {
        worker: recipe,
        binary_cache: cache,
        wp_command: `${Deno.execPath()} run ${COMPILE_PERMISSION_FLAGS.join(" ")} ${CLI_PATH}`,
      };
      const first = await playbook(work, inventory, vars);
      assertEquals(first.code, 0, first.text);
      for (const host of ["node-a", "node-b"]) {
        assertEquals([recap(first.text, host).changed, recap(first.text, host).failed], [1, 0]);
        assert(Deno.statSync(join(work, host, "usr/local/bin/fleet-worker")).isFile);
      }
      const second = await playbook(work, inventory, vars);
      assertEquals(second.code, 0, second.text);
      for (const host of ["node-a", "node-b"]) assertEquals(recap(second.text, host).changed, 0);
      const failing = await playbook(work, inventory, { ...vars, worker: join(work, "missing") });
      assert(failing.code !== 0, failing.text);
      assertEquals(recap(failing.text, "node-a").failed, 1);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
