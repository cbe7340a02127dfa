/**
 * Fetch and verify from a loopback server against `curl -o` followed by
 * `openssl dgst -sha256` (the fastest pair of stock tools; makepkg runs curl
 * then `sha256sum`, which is slower), paired run by run (see `_paired.ts`):
 * each side a fresh process, wall and CPU time (user + sys) and peak RSS.
 * Our side is `fetchSources` (streaming into the cache, sha256 on the main
 * thread while Deno's I/O thread writes each read, verified, stored).
 *
 *     deno run -A bench/fetch_bench.ts run [size-in-MiB] [pairs] [limits]
 *     deno run -A bench/fetch_bench.ts against <checkout> [size-in-MiB] [pairs]
 *     deno run -A bench/fetch_bench.ts rss [sizes-in-MiB, default 1024,4096] [runs]
 *     deno run -A bench/fetch_bench.ts costs [size-in-MiB] [runs]
 *
 * Any of them with `tls` added (e.g. `run 1024 7 tls`) fetches over HTTPS;
 * with `server=deno`, from the former Deno server (below) instead of the
 * Python `sendfile` one.
 *
 * With `limits`, ours is also paired with each half of the baseline alone
 * (`curl -o` alone; `openssl dgst -sha256` of the file, in the page cache,
 * alone): overlapping the transfer and the hash, fetch + verify cannot beat
 * the slower of the two, so those ratios say how far from that limit we are.
 * `against` pairs ours with the `fetchSources` of another checkout of this
 * repository (e.g. `git worktree add /tmp/before <commit>`): a before/after.
 * `rss` runs our side alone at each size (e.g. `rss 1024,4096,8192 3`) and
 * prints its peak RSS: the bound is 64 MiB at any size. Each run also
 * prints the largest RssAnon (heap, buffers, stacks) and RssFile (pages of
 * the Deno binary) sampled from `/proc`: over HTTPS the peak is 3-6 MiB
 * higher than over HTTP in RssFile alone (Deno's TLS code), with the same
 * RssAnon (24-25 MiB at 256 MiB and 1 GiB). `costs` runs each
 * piece alone (curl into /dev/null, `curl -o`, `openssl dgst`, the
 * baseline, ours), with the server's CPU during each: where the time goes.
 *
 * The server runs in its own process and serves both sides the same way.
 * By default it is `_static_server.py`: Python sending the file with
 * `sendfile(2)` (over TLS, 256 KiB reads encrypted by Python's `ssl`), as
 * cheap as a real static server (0.09-0.29 s of CPU per GiB over plain
 * HTTP, `costs`); the receiver then does the TCP receive work, as over a real
 * network (curl into /dev/null: 0.8 s of CPU per GiB instead of 0.4 s).
 * A catalog server runs on another machine, so the bench measures the
 * client; on 2 cores a costly server takes the core that ours and the
 * baseline need. `server=deno` selects the former one (this script with
 * `serve`): a bare HTTP/1.1 responder on `Deno.listen` copying the file in
 * 1 MiB reads, 0.55-1.2 s of CPU per GiB, which both sides then compete with
 * (the rows of `BENCHMARKS.md` before this change were taken with it).
 * Neither is neutral on loopback: the total CPU of server and receiver is
 * about the same (curl into /dev/null plus the server: 1.0 s per GiB with
 * either), `sendfile` only moves the TCP receive work from the server into
 * the receiving process, and for ours that is the receiving thread, the
 * slowest one. Paired, 1 GiB, 5 pairs, at load 3-4: ours 0.73x / 0.86x of
 * the baseline with the Python server, 0.70x / 0.74x with the Deno one
 * (ours 2.4-2.7 s of CPU against 1.7-2.3 s). Run and report both. Above
 * 1 GiB the body is a 16 MiB random block repeated by the server (no payload
 * file on disk; only the fetched copy, removed after each run). Everything
 * is written under the temporary directory (`TMPDIR`; with a full disk,
 * `TMPDIR=/dev/shm` measures the same code writing into tmpfs, which is
 * cheaper for both sides). Under `deno bench` this file registers nothing
 * heavy.
 *
 * @module
 */

import { join } from "node:path";
import { fetchSources } from "../src/source/fetch.ts";
import { planSources } from "../src/source/plan.ts";
import type { Pkgbuild } from "../src/pkgbuild/model.ts";
import { median, runPaired, type Sample, sh, type Side, timeProcess } from "./_paired.ts";

const SELF = new URL(import.meta.url).pathname;

/**
 * Serves `file` (read in 1 MiB pieces) or, with `repeat`, its bytes held in
 * memory `repeat` times; over TLS with the `cert.pem` and `key.pem` of
 * `tlsDir`.
 */
async function serve(file: string, repeat?: number, tlsDir?: string): Promise<void> {
  const block = repeat === undefined ? undefined : await Deno.readFile(file);
  const size = block === undefined ? (await Deno.stat(file)).size : block.length * repeat!;
  const listener = tlsDir === undefined
    ? Deno.listen({ hostname: "127.0.0.1", port: 0 })
    : Deno.listenTls({
      hostname: "127.0.0.1",
      port: 0,
      cert: await Deno.readTextFile(join(tlsDir, "cert.pem")),
      key: await Deno.readTextFile(join(tlsDir, "key.pem")),
    });
  console.log((listener.addr as Deno.NetAddr).port);
  const head = new TextEncoder().encode(
    `HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\netag: "bench"\r\nconnection: close\r\n\r\n`,
  );
  for await (const conn of listener) {
    const body = block === undefined ? fileBody(file) : repeated(block, repeat!);
    serveOne(conn, head, body).catch(() => {});
  }
}

async function* fileBody(file: string): AsyncGenerator<Uint8Array> {
  using f = await Deno.open(file);
  const buffer = new Uint8Array(1 << 20);
  for (let read; (read = await f.read(buffer)) !== null;) yield buffer.subarray(0, read);
}

function* repeated(block: Uint8Array, times: number): Generator<Uint8Array> {
  for (let i = 0; i < times; i++) yield block;
}

/** Answers one request, whatever it asks, with the whole body, then closes. */
async function serveOne(
  conn: Deno.Conn,
  head: Uint8Array,
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<void> {
  try {
    const request = new Uint8Array(16 << 10);
    for (let n = 0;;) {
      const read = await conn.read(request.subarray(n));
      if (read === null) return;
      n += read;
      if (new TextDecoder().decode(request.subarray(0, n)).includes("\r\n\r\n")) break;
    }
    await writeAll(conn, head);
    for await (const piece of body) await writeAll(conn, piece);
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

/**
 * With `tls` among the arguments, the server speaks HTTPS with a self-signed
 * certificate (ours runs with `--unsafely-ignore-certificate-errors` for
 * 127.0.0.1, curl with `-k`): Deno's client then reads one 16 KiB TLS record
 * at a time.
 */
const TLS = Deno.args.includes("tls");
/** `server=deno`: the Deno.listen server of this script; otherwise `_static_server.py`. */
const DENO_SERVER = Deno.args.includes("server=deno");
const ARGS = Deno.args.filter((arg) => arg !== "tls" && !arg.startsWith("server="));
const STATIC_SERVER = new URL("_static_server.py", import.meta.url).pathname;

/** What a comparison gets: the served file's URL and digest, a scratch directory, the payload. */
interface Served {
  readonly url: string;
  readonly expected: string;
  readonly dir: string;
  readonly payload: string;
  /** CPU time (user + sys) the server process has used so far, ms. */
  readonly serverCpuMs: () => Promise<number>;
}

/**
 * Bodies up to this size are a file of random bytes (served through the
 * page cache); larger ones a 16 MiB random block repeated by the server, so
 * a 4 or 8 GiB run needs no payload file on disk.
 */
const FILE_PAYLOAD_MIB = 1024;
const BLOCK_MIB = 16;

/** Makes `mib` MiB of random bytes, serves them from a child process, runs `body`, cleans up. */
async function withServedBlob(mib: number, body: (served: Served) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fetch-bench-" });
  const blob = join(dir, "blob");
  const generated = mib > FILE_PAYLOAD_MIB;
  const repeat = Math.ceil(mib / BLOCK_MIB);
  let child: Deno.ChildProcess | undefined;
  try {
    await sh(`head -c ${generated ? BLOCK_MIB : mib}M /dev/urandom > ${blob}`);
    if (TLS) {
      await sh(
        `openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 ` +
          `-addext subjectAltName=IP:127.0.0.1 -keyout ${dir}/key.pem -out ${dir}/cert.pem ` +
          `2>/dev/null`,
      );
    }
    const expected = generated
      ? await repeatedDigest(await Deno.readFile(blob), repeat)
      : await sha256sum(blob);
    const serverArgs = [blob, String(generated ? repeat : 0), ...(TLS ? [dir] : [])];
    child = DENO_SERVER
      ? new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", SELF, "serve", ...serverArgs],
        stdout: "piped",
      }).spawn()
      : new Deno.Command("python3", { args: [STATIC_SERVER, ...serverArgs], stdout: "piped" })
        .spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const port = Number((await reader.read()).value?.trim());
    const url = `${TLS ? "https" : "http"}://127.0.0.1:${port}/blob`;
    const server = DENO_SERVER
      ? (TLS
        ? "bare Deno.listenTls server, self-signed, own process"
        : "bare Deno.listen server, own process")
      : (TLS
        ? "Python ssl server, self-signed, own process"
        : "Python sendfile server, own process");
    const payload = generated
      ? `${repeat * BLOCK_MIB} MiB over loopback${TLS ? " (HTTPS)" : ""}: a ${BLOCK_MIB} MiB ` +
        `block of random bytes repeated by the server (${server}, no payload file)`
      : `${mib} MiB of random bytes over loopback${TLS ? " (HTTPS)" : ""} (${server})`;
    const pid = child.pid;
    const serverCpuMs = () => processCpuMs(pid);
    await body({ url, expected, dir, payload, serverCpuMs });
  } finally {
    child?.kill();
    await child?.status;
    await Deno.remove(dir, { recursive: true });
  }
}

/** User + sys CPU of process `pid` so far, ms (`/proc/PID/stat`, clock ticks of 10 ms). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function sha256sum(path: string): Promise<string> {
  const sum = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" }).output();
  return new TextDecoder().decode(sum.stdout).split(" ")[0];
}

async function repeatedDigest(block: Uint8Array, times: number): Promise<string> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  for (let i = 0; i < times; i++) hash.update(block);
  return hash.digest("hex");
}

/** Our `fetchSources` through `script` (this file, or its copy in another checkout). */
function fetchSide(name: string, script: string, served: Served, cache: string): Side {
  return {
    name,
    argv: [
      Deno.execPath(),
      "run",
      "-A",
      ...(TLS ? ["--unsafely-ignore-certificate-errors=127.0.0.1"] : []),
      script,
      "fetch",
      served.url,
      served.expected,
      cache,
    ],
  };
}

async function main(mib: number, pairs: number, limits: boolean): Promise<void> {
  await withServedBlob(mib, async (served) => {
    const { url, dir, payload } = served;
    const out = join(dir, "curl.out");
    const cache = join(dir, "cache");
    const ours = fetchSide("fetchSources", SELF, served, cache);
    const curl = `curl -sS ${TLS ? "-k " : ""}-o ${out} ${url}`;
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

/**
 * Peak RSS of our side alone at each size (`runs` fresh processes each),
 * printed per run and as a Markdown row: the bound is 64 MiB at any
 * size.
 */
async function rss(sizes: number[], runs: number): Promise<void> {
  for (const mib of sizes) {
    await withServedBlob(mib, async (served) => {
      const cache = join(served.dir, "cache");
      const side = fetchSide("fetchSources", SELF, served, cache);
      const samples = [];
      console.log(`\npeak RSS of fetchSources\n  payload: ${served.payload}`);
      for (let i = 0; i < runs; i++) {
        await sh(`rm -rf ${cache}`);
        const timed = timeProcess(side.argv);
        const split = watchRssSplit(cache, timed);
        const sample = await timed;
        const { anonMiB, fileMiB } = await split;
        samples.push(sample);
        console.log(
          `  run ${i + 1}: ${sample.wallMs.toFixed(0)} ms, cpu ${sample.cpuMs.toFixed(0)} ms, ` +
            `peak RSS ${sample.peakRssMiB.toFixed(1)} MiB (sampled every 50 ms: ` +
            `RssAnon up to ${anonMiB.toFixed(1)}, RssFile up to ${fileMiB.toFixed(1)} MiB)`,
        );
      }
      const peaks = samples.map((s) => s.peakRssMiB);
      const cpu = median(samples.map((s) => s.cpuMs));
      console.log(
        `  | peak RSS, fetch + verify | ${served.payload} | ${runs} | ` +
          `${Math.min(...peaks).toFixed(1)}-${Math.max(...peaks).toFixed(1)} MiB ` +
          `(median ${median(peaks).toFixed(1)}) | cpu median ${cpu.toFixed(0)} ms |`,
      );
    });
  }
}

/**
 * The largest RssAnon (heap, stacks, buffers) and RssFile (pages of the
 * Deno binary and other mapped files) of the Deno process whose command line
 * holds `marker`, sampled every 50 ms from `/proc/PID/status` until `done`
 * settles: what a peak is made of.
 */
async function watchRssSplit(
  marker: string,
  done: Promise<unknown>,
): Promise<{ anonMiB: number; fileMiB: number }> {
  let finished = false;
  done.finally(() => finished = true).catch(() => {});
  let pid: number | undefined;
  let anon = 0, file = 0;
  while (!finished) {
    pid ??= await findDenoProcess(marker);
    const status = pid === undefined
      ? ""
      : await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    anon = Math.max(anon, kib("RssAnon"));
    file = Math.max(file, kib("RssFile"));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { anonMiB: anon / 1024, fileMiB: file / 1024 };
}

/** The pid of the Deno process (not `/usr/bin/time`) whose command line holds `marker`. */
async function findDenoProcess(marker: string): Promise<number | undefined> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const argv = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "")).split(
      "\0",
    );
    if (argv[0] === Deno.execPath() && argv.includes(marker)) return Number(entry.name);
  }
  return undefined;
}

/**
 * Where the time goes, piece by piece (`runs` rounds, one process each, not
 * paired): `curl` receiving into /dev/null, `curl -o`, `openssl dgst` of
 * the file (page cache), the baseline, ours; each with the server's CPU
 * during it, so what the server costs both sides shows.
 */
async function costs(mib: number, runs: number): Promise<void> {
  await withServedBlob(mib, async (served) => {
    const { url, dir, payload } = served;
    const out = join(dir, "curl.out");
    const cache = join(dir, "cache");
    const curl = `curl -sS ${TLS ? "-k " : ""}`;
    const pieces: [string, readonly string[]][] = [
      ["curl -o /dev/null (receive only)", ["bash", "-c", `${curl}-o /dev/null ${url}`]],
      ["curl -o (receive + write)", ["bash", "-c", `${curl}-o ${out} ${url}`]],
      ["openssl dgst -sha256 (page cache)", ["openssl", "dgst", "-sha256", out]],
      ["curl -o + openssl dgst", [
        "bash",
        "-c",
        `${curl}-o ${out} ${url} && openssl dgst -sha256 ${out}`,
      ]],
      ["fetchSources (ours)", fetchSide("ours", SELF, served, cache).argv],
    ];
    console.log(`\nwhere the time goes\n  payload: ${payload}`);
    const rows = new Map<string, Sample[]>();
    const serverCpu = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      for (const [name, argv] of pieces) {
        await sh(`rm -rf ${cache}`);
        if (!name.startsWith("openssl")) await sh(`rm -f ${out}`);
        const before = await served.serverCpuMs();
        const sample = await timeProcess(argv);
        const server = (await served.serverCpuMs()) - before;
        rows.set(name, [...rows.get(name) ?? [], sample]);
        serverCpu.set(name, [...serverCpu.get(name) ?? [], server]);
        console.log(
          `  run ${i + 1} ${name}: ${sample.wallMs.toFixed(0)} ms, cpu ${
            sample.cpuMs.toFixed(0)
          } ms, ` +
            `${sample.peakRssMiB.toFixed(1)} MiB; server cpu ${server} ms`,
        );
      }
    }
    console.log(
      `  | piece | payload | runs | wall (median) | cpu (median) | server cpu (median) |`,
    );
    for (const [name, samples] of rows) {
      console.log(
        `  | ${name} | ${payload} | ${runs} | ${
          median(samples.map((s) => s.wallMs)).toFixed(0)
        } ms | ` +
          `${median(samples.map((s) => s.cpuMs)).toFixed(0)} ms | ` +
          `${median(serverCpu.get(name)!).toFixed(0)} ms |`,
      );
    }
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

if (ARGS[0] === "serve") {
  const repeat = Number(ARGS[2] ?? 0);
  await serve(ARGS[1], repeat > 0 ? repeat : undefined, ARGS[3]);
} else if (ARGS[0] === "rss") {
  const [sizes, runs] = ARGS.slice(1);
  await rss((sizes ?? "1024,4096").split(",").map(Number), Number(runs ?? 3));
} else if (ARGS[0] === "fetch") await fetchOnce(ARGS[1], ARGS[2], ARGS[3]);
else if (ARGS[0] === "run") {
  const [mib, pairs, limits] = ARGS.slice(1);
  await main(Number(mib ?? 1024), Number(pairs ?? 5), limits === "limits");
} else if (ARGS[0] === "costs") {
  const [mib, runs] = ARGS.slice(1);
  await costs(Number(mib ?? 1024), Number(runs ?? 3));
} else if (ARGS[0] === "against") {
  const [checkout, mib, pairs] = ARGS.slice(1);
  await against(checkout, Number(mib ?? 1024), Number(pairs ?? 5));
} else {
  Deno.bench({
    name: "fetch_bench is a script: deno run -A bench/fetch_bench.ts run",
    ignore: true,
    fn() {},
  });
}
