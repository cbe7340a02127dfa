/**
 * Cold start of CLI commands against Deno starting an empty script, paired
 * run by run (see `_paired.ts`): fresh processes under the compiled binary's
 * permission flags, wall and CPU time (user + sys). CPU time stays
 * meaningful on a loaded machine, where wall time does not.
 *
 *     deno run -A bench/cli_cold_start.ts [pairs] [commands]
 *
 * commands (comma-separated, default `--help,list`): `list` runs against an
 * empty state directory (`WORKER_PROVISIONER_STATE_DIR`, `--root` a temp
 * directory), so it measures start-up plus reading no records.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";
import { runPaired } from "./_paired.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));

if (import.meta.main) {
  const pairs = Number(Deno.args[0] ?? 10);
  const commands = (Deno.args[1] ?? "--help,list").split(",");
  const dir = await Deno.makeTempDir({ prefix: "cli-start-" });
  const empty = `${dir}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const deno = [Deno.execPath(), "run", ...COMPILE_PERMISSION_FLAGS];
  const env = `WORKER_PROVISIONER_STATE_DIR=${dir}/state WORKER_PROVISIONER_CACHE_DIR=${dir}/cache`;
  try {
    for (const command of commands) {
      const args = command === "list" ? ["list", "--root", `${dir}/root`] : [command];
      await runPaired({
        title: `cold start: ${command}`,
        payload: command === "list" ? "no worker installed (empty state directory)" : "-",
        ours: {
          name: `cli.ts ${command}`,
          argv: ["env", ...env.split(" "), ...deno, CLI, ...args],
        },
        baseline: { name: "deno run empty.ts", argv: ["env", ...env.split(" "), ...deno, empty] },
        pairs,
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
