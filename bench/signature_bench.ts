/**
 * Verifying a source signature in process (OpenPGP.js, streaming) against
 * Debian's `gpgv` and `gpg --verify` on the same file and signature: wall
 * time of each (median of 3), the cost of loading OpenPGP.js, and the peak
 * RSS of a process that only verifies. Keys and signature are made with
 * gnupg in a temp GNUPGHOME.
 *
 *     deno run -A bench/signature_bench.ts run [size-in-MiB]   # default 256
 *
 * @module
 */

import { join } from "node:path";

const SELF = new URL(import.meta.url).pathname;

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const t = performance.now();
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  return {
    ms: performance.now() - t,
    ok: out.success,
    stdout: new TextDecoder().decode(out.stdout),
  };
}

function median(xs: number[]): number {
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** The child: load OpenPGP.js, verify once, print timings and peak RSS. */
async function child(file: string, sig: string, key: string): Promise<void> {
  const t0 = performance.now();
  const { verifyDetached } = await import("../src/signature/verify.ts");
  const { parseKeys } = await import("../src/signature/keyring.ts");
  const loaded = performance.now();
  const keys = await parseKeys(await Deno.readFile(key));
  using f = await Deno.open(file);
  const verdict = await verifyDetached(f.readable, await Deno.readFile(sig), keys);
  const done = performance.now();
  const status = await Deno.readTextFile("/proc/self/status");
  const rss = Number(status.match(/VmHWM:\s+(\d+)/)![1]) / 1024;
  console.log(JSON.stringify({
    status: verdict.status,
    loadMs: loaded - t0,
    verifyMs: done - loaded,
    peakRssMb: rss,
  }));
}

async function main(mib: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wp-sig-bench-" });
  try {
    const home = join(dir, "gnupg");
    await Deno.mkdir(home, { mode: 0o700 });
    const gpg = (...a: string[]) =>
      run("gpg", [
        "--batch",
        "--homedir",
        home,
        "--passphrase",
        "",
        "--pinentry-mode",
        "loopback",
        ...a,
      ]);
    await gpg("--quick-gen-key", "Bench <bench@example.org>", "ed25519", "sign", "never");
    const file = join(dir, "data");
    const chunk = new Uint8Array(1 << 20).map((_, i) => (i * 31) % 251);
    using f = await Deno.open(file, { write: true, create: true });
    for (let i = 0; i < mib; i++) await f.write(chunk);
    await gpg("--output", `${file}.sig`, "--detach-sign", file);
    const pub = join(dir, "key.gpg");
    await gpg("--output", pub, "--export");
    const inProcess: { loadMs: number; verifyMs: number; peakRssMb: number; status: string }[] = [];
    const gpgv: number[] = [];
    const gpgVerify: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await run(Deno.execPath(), ["run", "-A", SELF, "child", file, `${file}.sig`, pub]);
      inProcess.push(JSON.parse(c.stdout));
      gpgv.push((await run("gpgv", ["--keyring", pub, `${file}.sig`, file])).ms);
      gpgVerify.push((await gpg("--verify", `${file}.sig`, file)).ms);
    }
    const tiny = join(dir, "tiny");
    await Deno.writeTextFile(tiny, "x");
    await gpg("--output", `${tiny}.sig`, "--detach-sign", tiny);
    const gpgvStart = median(
      await Promise.all(
        [0, 1, 2].map(async () => (await run("gpgv", ["--keyring", pub, `${tiny}.sig`, tiny])).ms),
      ),
    );
    console.log(JSON.stringify(
      {
        mib,
        status: inProcess[0].status,
        openpgpLoadMs: median(inProcess.map((r) => r.loadMs)),
        inProcessVerifyMs: median(inProcess.map((r) => r.verifyMs)),
        inProcessMiBps: mib / (median(inProcess.map((r) => r.verifyMs)) / 1000),
        inProcessPeakRssMb: Math.max(...inProcess.map((r) => r.peakRssMb)),
        gpgvMs: median(gpgv),
        gpgVerifyMs: median(gpgVerify),
        gpgvTinyFileMs: gpgvStart,
      },
      null,
      2,
    ));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "child") await child(Deno.args[1], Deno.args[2], Deno.args[3]);
else if (Deno.args[0] === "run") await main(Number(Deno.args[1] ?? 256));
else {
  Deno.bench({
    name: "signature_bench is a script: deno run -A bench/signature_bench.ts run",
    ignore: true,
    fn() {},
  });
}
