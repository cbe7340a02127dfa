/**
 * The source stage's fault matrix, end to end: `worker-provisioner install`
 * of a local recipe, run as a user would (a subprocess under the compiled
 * binary's permission flags), against servers on 127.0.0.1 that misbehave:
 * a `file://` source in a recipe an HTTP catalog serves, redirects to
 * `file://` (a canary file that must not be read), `ftp://`,
 * `data:` and from https down to http; a gzip and a zstd bomb (1 GiB of
 * zeros); a server that stalls after its headers and one that never
 * answers; a host that cannot resolve; a refused connection; a 4 MiB disk
 * (a tmpfs) for the cache, with and without Content-Length; a read-only
 * cache. Each case must end with its typed error and exit code, install
 * nothing, and leave the canary byte for byte. Prints the table of cases,
 * survived and lost.
 *
 * Mounting needs root (CI runs as root); without it the two disk cases count
 * as lost.
 */

import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { runCli } from "../cli/_cli.ts";
import { serveCatalog } from "../../src/provision/catalog/server.ts";
import { writeWorker } from "../provision/_catalog.ts";
import {
  makeBombs,
  makeCertificates,
  startFaultServer,
  startHttpsRedirect,
} from "./_source_fault_servers.ts";

const CANARY_TEXT = "canary: a local file no source may read\n";
const UNRESOLVABLE = `${"a".repeat(64)}.invalid`; // fails in the C library: no packet leaves

/** One fault: the source URL, the flags, and what the CLI must answer. */
interface FaultCase {
  readonly name: string;
  readonly url: string;
  /** The source's file name in srcdir. */
  readonly file?: string;
  readonly flags?: readonly string[];
  readonly env?: Record<string, string>;
  /** A tmpfs mounted on the cache: `full` is 4 MiB, `ro` is read-only. */
  readonly disk?: "full" | "ro";
  /** Install this worker id from this HTTP catalog instead of a local recipe holding `url`. */
  readonly fromCatalog?: { readonly url: string; readonly id: string };
  readonly exitCode: number;
  readonly stderr: RegExp;
}

const recipe = (file: string, url: string) =>
  `pkgname=fault-case
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
source=("${file}::${url}")
sha256sums=('SKIP')
package() {
  install -d "$pkgdir/usr/local/share/fault-case"
  cp -rL "$srcdir"/. "$pkgdir/usr/local/share/fault-case/"
}
`;

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function mount(dir: string, options: string): Promise<boolean> {
  await Deno.mkdir(dir, { recursive: true });
  const out = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", options, "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return out.success;
}

async function unmount(dir: string): Promise<void> {
  await new Deno.Command("umount", { args: [dir], stdout: "null", stderr: "null" }).output();
}

/** Files (not directories) under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else found.push(`${prefix}${e.name}`);
    }
  };
  await walk(dir, "").catch(() => {});
  return found;
}

/** Runs one case; returns why it was lost, or undefined when it survived. */
async function runCase(c: FaultCase, base: string, canary: string): Promise<string | undefined> {
  const t = join(base, c.name);
  const cache = join(t, "cache");
  await Deno.mkdir(join(t, "recipe"), { recursive: true });
  await Deno.writeTextFile(join(t, "recipe", "PKGBUILD"), recipe(c.file ?? "payload", c.url));
  let mounted = false;
  if (c.disk) {
    mounted = await mount(cache, c.disk === "full" ? "size=4m" : "size=1m,ro");
    if (!mounted) return "could not mount a tmpfs (not root?)";
  }
  try {
    const target = c.fromCatalog ? [c.fromCatalog.id, "--catalog", c.fromCatalog.url] : [
      join(t, "recipe"),
    ];
    const run = await runCli(
      [
        "install",
        ...target,
        "--root",
        join(t, "root"),
        "--cache-dir",
        cache,
        ...(c.flags ?? []),
      ],
      c.env ? { env: c.env } : {},
    );
    const problems: string[] = [];
    if (run.code !== c.exitCode) problems.push(`exit ${run.code}, expected ${c.exitCode}`);
    if (!c.stderr.test(run.stderr)) problems.push(`stderr does not match ${c.stderr}`);
    const installed = await filesUnder(join(t, "root", "usr"));
    if (installed.length > 0) problems.push(`installed ${installed.join(", ")}`);
    for (const file of await filesUnder(cache)) {
      if (file.endsWith(".part")) problems.push(`left ${file}`);
      const text = await Deno.readTextFile(join(cache, file)).catch(() => "");
      if (text.includes("canary")) problems.push(`the canary reached ${file}`);
    }
    if (await Deno.readTextFile(canary) !== CANARY_TEXT) problems.push("the canary changed");
    if (problems.length === 0) return undefined;
    return `${problems.join("; ")}\n    stderr: ${run.stderr.trim().split("\n").join("\n    ")}`;
  } finally {
    if (mounted) await unmount(cache);
  }
}

/** The cases, against the fault server at `url` and the https redirector at `httpsUrl`. */
function faultCases(
  url: string,
  httpsUrl: string,
  caPath: string,
  canary: string,
  catalogUrl: string,
): FaultCase[] {
  const fast = ["--stall-timeout", "2"];
  return [
    {
      name: "file:// source from an HTTP catalog",
      url: "",
      fromCatalog: { url: catalogUrl, id: "fault-remote" },
      exitCode: 10,
      stderr: /file:\/\/ sources are allowed only in a local recipe/,
    },
    {
      name: "redirect to file://",
      url: `${url}/redirect-file`,
      exitCode: 6,
      stderr: new RegExp(`Refused the redirect of .* to file://${canary}`),
    },
    {
      name: "redirect to ftp://",
      url: `${url}/redirect-ftp`,
      exitCode: 6,
      stderr: /Refused the redirect .*: ftp is not http or https/,
    },
    {
      name: "redirect to data:",
      url: `${url}/redirect-data`,
      exitCode: 6,
      stderr: /Refused the redirect .*: data is not http or https/,
    },
    {
      name: "redirect https to http",
      url: `${httpsUrl}/payload`,
      env: { DENO_CERT: caPath },
      exitCode: 6,
      stderr: /Refused the redirect .*: a downgrade from https to http/,
    },
    {
      name: "gzip bomb (1 GiB of zeros)",
      url: `${url}/bomb.tar.gz`,
      file: "payload.tar.gz",
      exitCode: 12,
      stderr: /Stopped extracting payload\.tar\.gz: .* ratio limit of 200:1/,
    },
    {
      name: "zstd bomb (1 GiB of zeros)",
      url: `${url}/bomb.tar.zst`,
      file: "payload.tar.zst",
      exitCode: 12,
      stderr: /Stopped extracting payload\.tar\.zst: .* ratio limit of 200:1/,
    },
    {
      name: "gzip bomb under --extract-max-bytes 64M",
      url: `${url}/bomb.tar.gz`,
      file: "payload.tar.gz",
      flags: ["--extract-max-bytes", "64M", "--extract-max-ratio", "100000"],
      exitCode: 12,
      stderr: /Stopped extracting payload\.tar\.gz: it produced more than 67108864 bytes/,
    },
    {
      name: "server stalls after its headers",
      url: `${url}/stall-body`,
      flags: fast,
      exitCode: 6,
      stderr: /Download of .*\/stall-body stalled: no progress for 2 s/,
    },
    {
      name: "server never answers",
      url: `${url}/stall-head`,
      flags: fast,
      exitCode: 6,
      stderr: /Download of .*\/stall-head stalled: no progress for 2 s/,
    },
    {
      name: "unresolvable host",
      url: `http://${UNRESOLVABLE}/payload`,
      exitCode: 6,
      stderr: new RegExp(`Could not resolve host ${UNRESOLVABLE} .*; check the URL or the network`),
    },
    {
      name: "connection refused",
      url: `http://127.0.0.1:${closedPort()}/payload`,
      flags: fast,
      exitCode: 6,
      stderr: /Connection to 127\.0\.0\.1:\d+ refused/,
    },
    {
      name: "disk full (Content-Length)",
      url: `${url}/big`,
      disk: "full",
      exitCode: 15,
      stderr:
        /Not enough free space in .* for the download of payload: needs 8388608 bytes, \d+ free/,
    },
    {
      name: "disk full (no Content-Length)",
      url: `${url}/big-unsized`,
      disk: "full",
      exitCode: 15,
      stderr: /Cannot write .*: no space left on the device/,
    },
    {
      name: "read-only cache",
      url: `${url}/small`,
      disk: "ro",
      exitCode: 8,
      stderr: /Cannot write .*: the file system is read-only/,
    },
  ];
}

Deno.test("source fault matrix: every network, archive and disk fault ends typed, installs nothing, reads no local file", async () => {
  const base = await Deno.makeTempDir({ prefix: "source-faults-" });
  try {
    const canary = join(base, "canary.txt");
    await Deno.writeTextFile(canary, CANARY_TEXT);
    const bombs = await makeBombs(base);
    const tls = await makeCertificates(base);
    await using server = startFaultServer({
      canary,
      gzipBomb: bombs.gzip,
      zstdBomb: bombs.zstd,
    });
    const catalogDir = join(base, "catalog");
    await writeWorker(catalogDir, "fault-remote", "1", recipe("payload", `file://${canary}`));
    await using catalog = serveCatalog({ dir: catalogDir, port: 0 });
    const https = startHttpsRedirect(tls, `${server.url}/small`);
    try {
      const httpsUrl = `https://127.0.0.1:${https.addr.port}`;
      const cases = faultCases(server.url, httpsUrl, tls.caPath, canary, catalog.url);
      const outcomes = new Map<string, string | undefined>();
      let next = 0;
      const worker = async () => {
        while (next < cases.length) {
          const c = cases[next++];
          outcomes.set(c.name, await runCase(c, base, canary));
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      const lost = cases.filter((c) => outcomes.get(c.name) !== undefined);
      const width = Math.max(...cases.map((c) => c.name.length));
      console.log(`\n${"case".padEnd(width)}  result`);
      for (const c of cases) {
        const why = outcomes.get(c.name);
        console.log(`${c.name.padEnd(width)}  ${why === undefined ? "survived" : `LOST: ${why}`}`);
      }
      console.log(
        `cases: ${cases.length}, survived: ${cases.length - lost.length}, lost: ${lost.length}`,
      );
      assertEquals(lost.map((c) => `${c.name}: ${outcomes.get(c.name)}`), []);
    } finally {
      await https.shutdown();
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
