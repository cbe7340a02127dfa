/**
 * Fetch and verify 1 GiB from a loopback server: fetchSources (streaming
 * sha256 while writing the `.part`) against `curl -o` followed by
 * `sha256sum`, which is what makepkg does. Prints the ratio and the peak RSS
 * of our process. Targets: faster than the pair, peak RSS under 150 MB.
 *
 *     deno run -A bench/fetch_bench.ts run [size-in-MiB]
 *
 * The server runs in its own process (this script with `serve`), and so does
 * our fetch (`fetch`), so the RSS measured is the fetcher's alone. Under
 * `deno bench` this file registers nothing heavy.
 *
 * @module
 */

import { join } from "node:path";
import { fetchSources } from "../src/source/fetch.ts";
import { planSources } from "../src/source/plan.ts";
import type { Pkgbuild } from "../src/pkgbuild/model.ts";

const SELF = new URL(import.meta.url).pathname;

async function serve(file: string): Promise<void> {
  const size = (await Deno.stat(file)).size;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(port),
  }, async () => {
    const f = await Deno.open(file);
    return new Response(f.readable, {
      headers: { "content-length": String(size), etag: `"bench"` },
    });
  });
  await server.finished;
}

async function fetchOnce(url: string, sum: string, cacheDir: string): Promise<void> {
  const pkgbuild: Pkgbuild = {
    carch: "x86_64",
    pkgbase: "bench",
    variables: { source: [url], sha256sums: [sum] },
    packages: [],
    functions: {},
  };
  const started = performance.now();
  await fetchSources(planSources(pkgbuild), { cacheDir });
  const ms = performance.now() - started;
  const status = await Deno.readTextFile("/proc/self/status");
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  // utime + stime of this process, in clock ticks (100 Hz on Linux).
  const stat = (await Deno.readTextFile("/proc/self/stat")).split(") ")[1].split(" ");
  const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
  console.log(JSON.stringify({ ms, peakRssMiB: hwm, cpuMs }));
}

async function run(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`${command} failed`);
  return performance.now() - started;
}

/** Runs a command under /usr/bin/time; returns [wall ms, user+system CPU ms]. */
async function timed(command: string, args: string[]): Promise<[number, number]> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%U %S", command, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${command} failed`);
  const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)!;
  const [user, system] = last.split(" ");
  return [performance.now() - started, (Number(user) + Number(system)) * 1000];
}

async function main(mib: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fetch-bench-" });
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "serve", join(dir, "blob")],
    stdout: "piped",
  });
  let child: Deno.ChildProcess | undefined;
  try {
    const blob = join(dir, "blob");
    await run("bash", ["-c", `head -c ${mib}M /dev/urandom > ${blob}`]);
    const sum = (await new Deno.Command("sha256sum", { args: [blob], stdout: "piped" }).output())
      .stdout;
    const expected = new TextDecoder().decode(sum).split(" ")[0];
    child = server.spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const port = Number((await reader.read()).value?.trim());
    const url = `http://127.0.0.1:${port}/blob`;
    const rounds = 3;
    const baseline: number[] = [];
    const baselineCpu: number[] = [];
    const ours: { ms: number; peakRssMiB: number; wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      const out = join(dir, "curl.out");
      const [curl, curlCpu] = await timed("curl", ["-sS", "-o", out, url]);
      const [sha, shaCpu] = await timed("sha256sum", [out]);
      await Deno.remove(out);
      baseline.push(curl + sha);
      baselineCpu.push(curlCpu + shaCpu);
      const cache = join(dir, `cache${i}`);
      const t0 = performance.now();
      const res = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", SELF, "fetch", url, expected, cache],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const wallMs = performance.now() - t0;
      if (!res.success) throw new Error("fetch child failed");
      ours.push({ ...JSON.parse(new TextDecoder().decode(res.stdout)), wallMs });
      await Deno.remove(cache, { recursive: true });
    }
    const best = (xs: number[]) => Math.min(...xs);
    const base = best(baseline);
    const fetchMs = best(ours.map((o) => o.ms));
    const wall = best(ours.map((o) => o.wallMs));
    console.log(
      `fetch+verify ${mib} MiB over loopback (best of ${rounds}; load ${Deno.loadavg()[0]})`,
    );
    console.log(`  curl -o + sha256sum:        ${base.toFixed(0)} ms`);
    console.log(
      `  fetchSources (in process):  ${fetchMs.toFixed(0)} ms  ratio ${
        (fetchMs / base).toFixed(2)
      }x`,
    );
    console.log(
      `  fetchSources (process wall): ${wall.toFixed(0)} ms  ratio ${(wall / base).toFixed(2)}x`,
    );
    const cpu = best(ours.map((o) => o.cpuMs));
    const baseCpu = best(baselineCpu);
    console.log(
      `  CPU (user+sys): curl+sha256sum ${baseCpu.toFixed(0)} ms, ours ${cpu.toFixed(0)} ms, ` +
        `ratio ${(cpu / baseCpu).toFixed(2)}x`,
    );
    console.log(
      `  peak RSS of the fetcher:    ${Math.max(...ours.map((o) => o.peakRssMiB)).toFixed(0)} MiB`,
    );
  } finally {
    child?.kill();
    await child?.status;
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "serve") await serve(Deno.args[1]);
else if (Deno.args[0] === "fetch") await fetchOnce(Deno.args[1], Deno.args[2], Deno.args[3]);
else if (Deno.args[0] === "run") await main(Number(Deno.args[1] ?? 1024));
else {
  Deno.bench({
    name: "fetch_bench is a script: deno run -A bench/fetch_bench.ts run",
    ignore: true,
    fn() {},
  });
}
