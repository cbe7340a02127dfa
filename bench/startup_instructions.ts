/**
 * Instructions executed by a cold start of CLI commands and of Deno's empty
 * script, counted by `valgrind --tool=cachegrind --cache-sim=no` (all
 * threads): unlike CPU time, the count hardly moves with the machine's
 * load, so a change of 1% shows on a shared machine in a few runs. Each
 * command runs once untimed first (Deno's transpile and code caches), then
 * `runs` times; the median and the ratio to the empty script (under this
 * project's `deno.json`, as in `cli_cold_start.ts`) are printed.
 *
 * Instructions are not time: a count ratio overstates the CPU ratio
 * (`--help` 1.45x in instructions was 1.28x in CPU), so use it to compare
 * two versions of the code, and `cli_cold_start.ts` for the ratio itself.
 * `verify` and `info` count in two modes some 5-8% apart (Deno's threads),
 * so take 3 runs or more. Needs `valgrind` (Debian: `apt-get install
 * valgrind`); not part of CI.
 *
 *     deno run -A bench/startup_instructions.ts [runs] [commands]
 *
 * commands (comma-separated, default all): `--help`, `list-empty`, `list`,
 * `verify`, `info`, `completions` (the shared CLI path alone).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { median, sh } from "./_paired.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Each command's arguments to `cli.ts` (`dir` holds demo-hello's install). */
function commandsOf(dir: string): Record<string, string[]> {
  return {
    "--help": ["--help"],
    "list-empty": ["list", "--root", `${dir}/empty-root`],
    "list": ["list", "--root", `${dir}/root`],
    "verify": ["verify", "demo-hello", "--root", `${dir}/root`],
    "info": ["info", "demo-hello", "--catalog", `${REPO}fixtures/demo`],
    "completions": ["completions", "bash"],
  };
}

/** The instructions one run of `deno run -A <args>` executes. */
async function instructions(args: readonly string[]): Promise<number> {
  const out = await new Deno.Command("valgrind", {
    args: [
      "--tool=cachegrind",
      "--cache-sim=no",
      "--cachegrind-out-file=/dev/null",
      "--smc-check=all-non-file",
      Deno.execPath(),
      "run",
      "-A",
      ...args,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const refs = new TextDecoder().decode(out.stderr).match(/I\s+refs:\s+([\d,]+)/);
  if (!refs) throw new Error(`valgrind printed no instruction count for ${args.join(" ")}`);
  return Number(refs[1].replaceAll(",", ""));
}

/** Median instructions of `runs` runs of `args`, after one untimed run. */
async function medianOf(args: readonly string[], runs: number): Promise<number> {
  await new Deno.Command(Deno.execPath(), { args: ["run", "-A", ...args], stdout: "null" })
    .output();
  const counts: number[] = [];
  for (let i = 0; i < runs; i++) counts.push(await instructions(args));
  return median(counts);
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 3);
  const dir = await Deno.makeTempDir({ prefix: "cli-instructions-" });
  const commands = commandsOf(dir);
  const chosen = (Deno.args[1] ?? Object.keys(commands).join(",")).split(",");
  try {
    await sh(
      `cd ${REPO} && WORKER_PROVISIONER_CACHE_DIR=${dir}/cache ${Deno.execPath()} run -A ` +
        `cli.ts install demo-hello --catalog ./fixtures/demo --root ${dir}/root --quiet >/dev/null`,
    );
    const empty = await medianOf([`${REPO}bench/_empty.ts`], runs);
    console.log(`| what | runs | instructions (M) | ratio to the empty script |`);
    console.log(`| --- | --- | --- | --- |`);
    console.log(
      `| empty script (bench/_empty.ts) | ${runs} | ${(empty / 1e6).toFixed(1)} | 1.00x |`,
    );
    for (const name of chosen) {
      const count = await medianOf([`${REPO}cli.ts`, ...commands[name]], runs);
      console.log(
        `| cli.ts ${name} | ${runs} | ${(count / 1e6).toFixed(1)} | ${
          (count / empty).toFixed(2)
        }x |`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
