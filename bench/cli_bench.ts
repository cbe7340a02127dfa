/**
 * Cold start of the CLI: a fresh `deno run cli.ts --help` process per
 * iteration, under the compiled binary's permission flags, against a
 * baseline of Deno starting an empty script. Target: `--help` under 150 ms
 * (it imports only the command table; each command's modules load lazily).
 *
 *     deno bench --allow-all bench/cli_bench.ts
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const EMPTY = await Deno.makeTempFile({ suffix: ".ts" });
globalThis.addEventListener("unload", () => Deno.removeSync(EMPTY));

function start(args: string[]): () => Promise<void> {
  return async () => {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...COMPILE_PERMISSION_FLAGS, ...args],
      stdout: "null",
      stderr: "null",
    }).output();
    if (code !== 0) throw new Error(`exit ${code}`);
  };
}

const options = { group: "cold start", n: 20, warmup: 2 };

Deno.bench({ name: "deno run (empty script)", baseline: true, ...options, fn: start([EMPTY]) });
Deno.bench({ name: "cli.ts --help", ...options, fn: start([CLI, "--help"]) });
Deno.bench({ name: "cli.ts --version", ...options, fn: start([CLI, "--version"]) });
Deno.bench({ name: "cli.ts install --help", ...options, fn: start([CLI, "install", "--help"]) });
