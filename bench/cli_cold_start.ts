/**
 * Cold start of CLI commands against Deno starting an empty script, paired
 * run by run (see `_paired.ts`): fresh processes under the compiled binary's
 * permission flags, wall and CPU time (user + sys, in milliseconds from
 * bash's `times`). CPU time stays meaningful on a loaded machine, where wall
 * time does not.
 *
 *     deno run -A bench/cli_cold_start.ts [pairs] [commands] [baselines]
 *
 * commands (comma-separated, default all): `--help`; `list-empty` (no
 * worker installed); `list`, `verify` (demo-hello installed first, 4 paths);
 * `info` (demo-hello from the `fixtures/demo` catalog directory); `search`
 * (the same catalog); `srcinfo` (demo-hello's recipe in that catalog: a
 * command loaded on use, see `src/cli/_load.ts`);
 * `floor`: not the CLI but a one-module script that reads demo-hello's
 * record (JSON) and prints two fields, with this project's `deno.json`:
 * what a `list` costs at the least under `deno run`.
 *
 * baselines (comma-separated, default all), each `deno run` of an empty
 * script with the same flags:
 * - `config`: the script in this project's directory, so Deno loads the
 *   same `deno.json` and `deno.lock` as for `cli.ts` (Deno finds the
 *   configuration from the main module's directory);
 * - `no-config`: the script in a temporary directory, no configuration;
 * - `lazy`: ours and the `config` script both with
 *   `--unstable-lazy-dynamic-imports`. Without it, `deno run` loads (reads,
 *   hashes, resolves) every module any statically written `import()` can
 *   reach before the first line runs: for `cli.ts`, the whole program.
 *   Lazily, a module is loaded when imported, which then needs read
 *   permission for it; a row for what that start-up costs, not a way the
 *   CLI is run. Since `src/cli/_load.ts` keeps the install pipeline out of
 *   the start-up graph, the difference is what the start-up commands
 *   themselves import through literal `import()`s.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";
import { runPaired, sh, timeProcessPrecise } from "./_paired.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const CLI = `${REPO}cli.ts`;
/** The empty script in this project's directory (it holds a comment only). */
const EMPTY_IN_PROJECT = `${REPO}bench/_empty.ts`;
const LAZY = "--unstable-lazy-dynamic-imports";

/** The script `floor` runs: read one record, print two fields. */
const FLOOR_SCRIPT = `const r = JSON.parse(await Deno.readTextFile(Deno.args[0]));
console.log(\`\${r.id}  \${r.version}\`);
`;

/** The command line of each measured command (of `cli.ts`, or of `script`), and its payload. */
function commandsOf(
  dir: string,
): Record<string, { args: string[]; payload: string; script?: string }> {
  return {
    "--help": { args: ["--help"], payload: "-" },
    "list-empty": {
      args: ["list", "--root", `${dir}/empty-root`],
      payload: "no worker installed (empty state directory)",
    },
    "list": {
      args: ["list", "--root", `${dir}/root`],
      payload: "1 worker installed (demo-hello)",
    },
    "verify": {
      args: ["verify", "demo-hello", "--root", `${dir}/root`],
      payload: "demo-hello installed, 4 paths",
    },
    "info": {
      args: ["info", "demo-hello", "--catalog", `${REPO}fixtures/demo`],
      payload: "demo-hello from the fixtures/demo catalog directory",
    },
    "search": {
      args: ["search", "--catalog", `${REPO}fixtures/demo`],
      payload: "the fixtures/demo catalog directory",
    },
    "srcinfo": {
      args: ["srcinfo", `${REPO}fixtures/demo/workers/demo-hello`],
      payload: "demo-hello's PKGBUILD in fixtures/demo (a command loaded on use)",
    },
    "floor": {
      args: [`${dir}/root/var/lib/worker-provisioner/workers/demo-hello/record.json`],
      payload: "demo-hello's record, read and printed by a one-module script",
      script: `${dir}/floor.ts`,
    },
  };
}

if (import.meta.main) {
  const pairs = Number(Deno.args[0] ?? 12);
  const dir = await Deno.makeTempDir({ prefix: "cli-start-" });
  const commands = commandsOf(dir);
  const chosen = (Deno.args[1] ?? Object.keys(commands).join(",")).split(",");
  const baselines = (Deno.args[2] ?? "config,no-config,lazy").split(",");
  const emptyNoConfig = `${dir}/empty.ts`;
  await Deno.writeTextFile(emptyNoConfig, "");
  await Deno.writeTextFile(`${dir}/floor.ts`, FLOOR_SCRIPT);
  const env = [
    "env",
    `WORKER_PROVISIONER_STATE_DIR=${dir}/state`,
    `WORKER_PROVISIONER_CACHE_DIR=${dir}/cache`,
  ];
  const deno = (lazy: boolean) => [
    Deno.execPath(),
    "run",
    ...(lazy ? [LAZY] : []),
    ...COMPILE_PERMISSION_FLAGS,
  ];
  try {
    await sh(
      `cd ${REPO} && ${
        env.slice(1).join(" ")
      } ${Deno.execPath()} run -A cli.ts install demo-hello ` +
        `--catalog ./fixtures/demo --root ${dir}/root --quiet >/dev/null`,
    );
    console.log(`load average ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    for (const name of chosen) {
      const { args, payload, script } = commands[name];
      for (const baseline of baselines) {
        const lazy = baseline === "lazy";
        if (script && lazy) continue;
        const empty = baseline === "no-config" ? emptyNoConfig : EMPTY_IN_PROJECT;
        await runPaired({
          title: `cold start: ${name}${lazy ? " (lazy dynamic imports)" : ""}`,
          payload,
          ours: script
            ? {
              name: "floor.ts (one module)",
              argv: [...env, ...deno(false), "--config", `${REPO}deno.json`, script, ...args],
            }
            : { name: `cli.ts ${args[0]}`, argv: [...env, ...deno(lazy), CLI, ...args] },
          baseline: {
            name: `deno run ${
              baseline === "no-config" ? "empty.ts (no config)" : "bench/_empty.ts"
            }`,
            argv: [...env, ...deno(lazy), empty],
          },
          pairs,
          timer: timeProcessPrecise,
        });
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
