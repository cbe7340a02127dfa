/**
 * Fetch and verify from a loopback server against `curl -o` followed by
 * `openssl dgst -sha256` (the fastest pair of stock tools; makepkg runs curl
 * then `sha256sum`, which is slower), paired run by run (see `_paired.ts`):
 * each side a fresh process, wall and CPU time (user + sys) and peak RSS.
 * Our side is `fetchSources` (streaming into the cache, sha256 on a hash
 * worker from 32 MiB, verified, stored).
 *
 *     deno run -A bench/fetch_bench.ts run [size-in-MiB] [pairs]
 *
 * The server runs in its own process (this script with `serve`). Under
 * `deno bench` this file registers nothing heavy.
 *
 * @module
 */

import { join } from "node:path";
import { fetchSources } from "../src/source/fetch.ts";
import { planSources } from "../src/source/plan.ts";
import type { Pkgbuild } from "../src/pkgbuild/model.ts";
import { runPaired, sh } from "./_paired.ts";

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
  await fetchSources(planSources(pkgbuild), { cacheDir });
}

async function main(mib: number, pairs: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fetch-bench-" });
  const blob = join(dir, "blob");
  let child: Deno.ChildProcess | undefined;
  try {
    await sh(`head -c ${mib}M /dev/urandom > ${blob}`);
    const sum = await new Deno.Command("sha256sum", { args: [blob], stdout: "piped" }).output();
    const expected = new TextDecoder().decode(sum.stdout).split(" ")[0];
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SELF, "serve", blob],
      stdout: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const port = Number((await reader.read()).value?.trim());
    const url = `http://127.0.0.1:${port}/blob`;
    const out = join(dir, "curl.out");
    const cache = join(dir, "cache");
    await runPaired({
      title: "fetch + verify",
      payload: `${mib} MiB of random bytes over loopback (Deno.serve in its own process)`,
      ours: {
        name: "fetchSources",
        argv: [Deno.execPath(), "run", "-A", SELF, "fetch", url, expected, cache],
      },
      baseline: {
        name: "curl -o + openssl dgst -sha256",
        argv: ["bash", "-c", `curl -sS -o ${out} ${url} && openssl dgst -sha256 ${out}`],
      },
      pairs,
      reset: () => sh(`rm -rf ${out} ${cache}`),
    });
  } finally {
    child?.kill();
    await child?.status;
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "serve") await serve(Deno.args[1]);
else if (Deno.args[0] === "fetch") await fetchOnce(Deno.args[1], Deno.args[2], Deno.args[3]);
else if (Deno.args[0] === "run") {
  await main(Number(Deno.args[1] ?? 1024), Number(Deno.args[2] ?? 5));
} else {
  Deno.bench({
    name: "fetch_bench is a script: deno run -A bench/fetch_bench.ts run",
    ignore: true,
    fn() {},
  });
}
