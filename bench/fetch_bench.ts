/**
 * Fetch and verify from a loopback server against `curl -o` followed by
 * `openssl dgst -sha256` (the fastest pair of stock tools; makepkg runs curl
 * then `sha256sum`, which is slower), paired run by run (see `_paired.ts`):
 * each side a fresh process, wall and CPU time (user + sys) and peak RSS.
 * Our side is `fetchSources` (streaming into the cache, sha256 on the main
 * thread while Deno's I/O thread writes the blocks, verified, stored).
 *
 *     deno run -A bench/fetch_bench.ts run [size-in-MiB] [pairs] [limits]
 *     deno run -A bench/fetch_bench.ts against <checkout> [size-in-MiB] [pairs]
 *
 * With `limits`, ours is also paired with each half of the baseline alone
 * (`curl -o` alone; `openssl dgst -sha256` of the file, in the page cache,
 * alone): overlapping the transfer and the hash, fetch + verify cannot beat
 * the slower of the two, so those ratios say how far from that limit we are.
 * `against` pairs ours with the `fetchSources` of another checkout of this
 * repository (e.g. `git worktree add /tmp/before <commit>`): a before/after.
 *
 * The server runs in its own process (this script with `serve`): a bare
 * HTTP/1.1 responder on `Deno.listen` copying the file in 1 MiB reads, so
 * its own CPU (it shares the machine with both sides) stays small. Under
 * `deno bench` this file registers nothing heavy.
 *
 * @module
 */

import { join } from "node:path";
import { fetchSources } from "../src/source/fetch.ts";
import { planSources } from "../src/source/plan.ts";
import type { Pkgbuild } from "../src/pkgbuild/model.ts";
import { runPaired, sh, type Side } from "./_paired.ts";

const SELF = new URL(import.meta.url).pathname;

async function serve(file: string): Promise<void> {
  const size = (await Deno.stat(file)).size;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  console.log((listener.addr as Deno.NetAddr).port);
  const head = new TextEncoder().encode(
    `HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\netag: "bench"\r\nconnection: close\r\n\r\n`,
  );
  for await (const conn of listener) serveOne(conn, file, head).catch(() => {});
}

/** Answers one request, whatever it asks, with the whole file, then closes. */
async function serveOne(conn: Deno.Conn, file: string, head: Uint8Array): Promise<void> {
  try {
    const request = new Uint8Array(16 << 10);
    for (let n = 0;;) {
      const read = await conn.read(request.subarray(n));
      if (read === null) return;
      n += read;
      if (new TextDecoder().decode(request.subarray(0, n)).includes("\r\n\r\n")) break;
    }
    await writeAll(conn, head);
    using f = await Deno.open(file);
    const buffer = new Uint8Array(1 << 20);
    for (let read; (read = await f.read(buffer)) !== null;) {
      await writeAll(conn, buffer.subarray(0, read));
    }
  } finally {
    conn.close();
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
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

/** What a comparison gets: the served file's URL and digest, a scratch directory, the payload. */
interface Served {
  readonly url: string;
  readonly expected: string;
  readonly dir: string;
  readonly payload: string;
}

/** Makes `mib` MiB of random bytes, serves them from a child process, runs `body`, cleans up. */
async function withServedBlob(mib: number, body: (served: Served) => Promise<void>): Promise<void> {
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
    const payload =
      `${mib} MiB of random bytes over loopback (bare Deno.listen server, own process)`;
    await body({ url, expected, dir, payload });
  } finally {
    child?.kill();
    await child?.status;
    await Deno.remove(dir, { recursive: true });
  }
}

/** Our `fetchSources` through `script` (this file, or its copy in another checkout). */
function fetchSide(name: string, script: string, served: Served, cache: string): Side {
  return {
    name,
    argv: [Deno.execPath(), "run", "-A", script, "fetch", served.url, served.expected, cache],
  };
}

async function main(mib: number, pairs: number, limits: boolean): Promise<void> {
  await withServedBlob(mib, async (served) => {
    const { url, dir, payload } = served;
    const out = join(dir, "curl.out");
    const cache = join(dir, "cache");
    const ours = fetchSide("fetchSources", SELF, served, cache);
    const curl = `curl -sS -o ${out} ${url}`;
    const openssl = `openssl dgst -sha256 ${out}`;
    const reset = () => sh(`rm -rf ${out} ${cache}`);
    await runPaired({
      title: "fetch + verify",
      payload,
      ours,
      baseline: {
        name: "curl -o + openssl dgst -sha256",
        argv: ["bash", "-c", `${curl} && ${openssl}`],
      },
      pairs,
      reset,
    });
    if (!limits) return;
    await runPaired({
      title: "fetch + verify vs the transfer alone",
      payload,
      ours,
      baseline: { name: "curl -o", argv: ["bash", "-c", curl] },
      pairs,
      reset,
    });
    await runPaired({
      title: "fetch + verify vs the hash alone",
      payload,
      ours,
      baseline: {
        name: "openssl dgst -sha256 of the file (page cache)",
        argv: ["bash", "-c", openssl],
      },
      pairs,
      // openssl's input is downloaded once (untimed); only our cache is emptied.
      reset: () => sh(`rm -rf ${cache}; [ -f ${out} ] || ${curl}`),
    });
  });
}

async function against(checkout: string, mib: number, pairs: number): Promise<void> {
  await withServedBlob(mib, async (served) => {
    const mine = join(served.dir, "cache-ours");
    const theirs = join(served.dir, "cache-other");
    const other = join(checkout, "bench", "fetch_bench.ts");
    await runPaired({
      title: "fetch + verify, this checkout vs another",
      payload: served.payload,
      ours: fetchSide("fetchSources", SELF, served, mine),
      baseline: fetchSide(`fetchSources of ${checkout}`, other, served, theirs),
      pairs,
      reset: () => sh(`rm -rf ${mine} ${theirs}`),
    });
  });
}

if (Deno.args[0] === "serve") await serve(Deno.args[1]);
else if (Deno.args[0] === "fetch") await fetchOnce(Deno.args[1], Deno.args[2], Deno.args[3]);
else if (Deno.args[0] === "run") {
  const [mib, pairs, limits] = Deno.args.slice(1);
  await main(Number(mib ?? 1024), Number(pairs ?? 5), limits === "limits");
} else if (Deno.args[0] === "against") {
  const [checkout, mib, pairs] = Deno.args.slice(1);
  await against(checkout, Number(mib ?? 1024), Number(pairs ?? 5));
} else {
  Deno.bench({
    name: "fetch_bench is a script: deno run -A bench/fetch_bench.ts run",
    ignore: true,
    fn() {},
  });
}
