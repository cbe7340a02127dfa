/**
 * Cold start of `cli.ts --help` as wall time and as CPU time (user + sys of
 * the child, from `/proc/self/stat`'s cutime/cstime), median of N fresh
 * processes each, against Deno starting an empty script in the same run.
 * CPU time stays meaningful on a loaded machine, where wall time does not.
 *
 *     deno run -A bench/cli_cold_start.ts [N]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const TICK_MS = 10; // USER_HZ is 100 on Linux

function childCpuMs(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime + cstime
}

async function measure(args: string[], runs: number): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu0 = childCpuMs();
    const t0 = performance.now();
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...COMPILE_PERMISSION_FLAGS, ...args],
      stdout: "null",
      stderr: "null",
    }).output();
    walls.push(performance.now() - t0);
    cpus.push(childCpuMs() - cpu0);
    if (code !== 0) throw new Error(`exit ${code}`);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(walls), cpu: median(cpus) };
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 15);
  const empty = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    const base = await measure([empty], runs);
    const help = await measure([CLI, "--help"], runs);
    const row = (name: string, m: { wall: number; cpu: number }) =>
      `${name.padEnd(26)} wall ${m.wall.toFixed(0).padStart(5)} ms   cpu ${
        m.cpu.toFixed(0).padStart(5)
      } ms`;
    console.log(row("deno run (empty script)", base));
    console.log(row("cli.ts --help", help));
    console.log(
      `cli.ts --help costs ${(help.wall - base.wall).toFixed(0)} ms wall, ` +
        `${
          (help.cpu - base.cpu).toFixed(0)
        } ms cpu over Deno's own start (target: under 150 ms in all)`,
    );
  } finally {
    await Deno.remove(empty);
  }
}
