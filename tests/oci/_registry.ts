/**
 * Test helpers: Debian's docker-registry (the CNCF distribution registry
 * 2.8) on 127.0.0.1 on a free port with a temporary storage directory,
 * anonymous or with htpasswd basic auth; a loopback TCP proxy that cuts the
 * first blob download mid-body; small worker packages built per arch.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import type { WrittenPackage } from "../../src/package/write.ts";

/** Whether the registry binary is installed. */
export function haveRegistry(): boolean {
  try {
    return Deno.statSync("/usr/bin/docker-registry").isFile;
  } catch {
    return false;
  }
}

/** A running registry. */
export interface Registry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** Its storage directory. */
  readonly storage: string;
  /** The registry's log, once it stopped growing (access log lines follow the responses). */
  log(): Promise<string>;
  /** Successful blob GETs the registry logged, by digest (its access log, once it stopped growing). */
  blobGets(): Promise<Map<string, number>>;
  /** Stops it. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts docker-registry in `dir`; with `user`, behind htpasswd basic auth (bcrypt via `htpasswd -B`). */
export async function startRegistry(
  dir: string,
  user?: { username: string; password: string },
): Promise<Registry> {
  const port = freePort();
  const storage = join(dir, "storage");
  await Deno.mkdir(storage, { recursive: true });
  let auth = "";
  if (user) {
    const file = join(dir, "htpasswd");
    const out = await new Deno.Command("htpasswd", {
      args: ["-Bbc", file, user.username, user.password],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    auth = `auth:\n  htpasswd:\n    realm: test-realm\n    path: ${file}\n`;
  }
  const config = join(dir, "config.yml");
  await Deno.writeTextFile(
    config,
    `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const logPath = join(dir, "registry.log");
  // The registry writes its log straight into the file (no pipe through this process to lag).
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      'exec /usr/bin/docker-registry serve "$1" >"$2" 2>&1',
      "registry",
      config,
      logPath,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const host = `127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.body?.cancel();
      break;
    } catch {
      if (i > 100) throw new Error(`registry did not start: ${await Deno.readTextFile(logPath)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const log = async () => {
    let text = "";
    for (let previous = "x"; text !== previous;) {
      previous = text;
      await new Promise((r) => setTimeout(r, 300));
      text = await Deno.readTextFile(logPath);
    }
    return text;
  };
  return {
    host,
    storage,
    log,
    async blobGets() {
      const text = await log();
      const counts = new Map<string, number>();
      for (
        const m of text.matchAll(
          /"GET \/v2\/[^ ]*\/blobs\/(sha256:[0-9a-f]{64}) HTTP[^"]*" 20[06]/g,
        )
      ) {
        counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
      }
      return counts;
    },
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
    },
  };
}

/** Where a blob lives in the registry's filesystem storage. */
export function blobDataPath(storage: string, digest: string): string {
  const hex = digest.slice("sha256:".length);
  return join(storage, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
}

/**
 * A loopback TCP proxy to `target`: the first response to a blob GET is cut
 * after `cutAfter` bytes (the connection closed), everything else passes.
 */
export function startCuttingProxy(
  target: string,
  cutAfter = 400,
): { host: string; cuts: () => number; stop: () => void } {
  const [thost, tport] = target.split(":");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let cut = false;
  let cuts = 0;
  const conns = new Set<Deno.Conn>();
  (async () => {
    for await (const client of listener) {
      conns.add(client);
      (async () => {
        const server = await Deno.connect({ hostname: thost, port: Number(tport) });
        conns.add(server);
        let cutThis = false;
        let sent = 0;
        let baseline = 0;
        const up = (async () => {
          const buf = new Uint8Array(65536);
          for (;;) {
            const n = await client.read(buf).catch(() => null);
            if (n === null) break;
            const text = new TextDecoder().decode(buf.subarray(0, n));
            if (!cut && /^GET \/v2\/\S+\/blobs\/sha256:/m.test(text) && !/\r\nRange:/i.test(text)) {
              cut = cutThis = true;
              baseline = sent;
            }
            await server.write(buf.subarray(0, n)).catch(() => {});
          }
          server.closeWrite().catch(() => {});
        })();
        const down = (async () => {
          const buf = new Uint8Array(65536);
          for (;;) {
            const n = await server.read(buf).catch(() => null);
            if (n === null) break;
            if (cutThis && sent + n - baseline > cutAfter) {
              const keep = Math.max(0, cutAfter - (sent - baseline));
              await client.write(buf.subarray(0, keep)).catch(() => {});
              cuts++;
              break;
            }
            sent += n;
            await client.write(buf.subarray(0, n)).catch(() => {});
          }
          try {
            client.close();
          } catch { /* closed */ }
          try {
            server.close();
          } catch { /* closed */ }
        })();
        await Promise.all([up, down]);
        conns.delete(client);
        conns.delete(server);
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    host: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    cuts: () => cuts,
    stop() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

/** Writes a tiny recipe (a shell-script worker, no compiler needed) into `dir`. */
export async function writeTinyRecipe(
  dir: string,
  pkgname = "tiny-worker",
  pkgver = "1.2.3",
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "PKGBUILD"),
    `pkgname=${pkgname}\npkgver=${pkgver}\npkgrel=1\npkgdesc='A tiny worker'\narch=('x86_64' 'aarch64')\nlicense=('MIT')\n\npackage() {\n  mkdir -p "$pkgdir/usr/local/bin"\n  printf '#!/bin/sh\\necho ${pkgname} %s\\n' "$CARCH" > "$pkgdir/usr/local/bin/${pkgname}"\n  chmod 755 "$pkgdir/usr/local/bin/${pkgname}"\n}\n`,
  );
  return dir;
}

/** Builds `recipe` for `arch` into `out`. */
export async function buildFor(
  recipe: string,
  arch: string,
  work: string,
): Promise<WrittenPackage> {
  const p = new WorkerProvisioner({
    root: join(work, `root-${arch}`),
    cacheDir: join(work, `cache-${arch}`),
    arch,
  });
  const r = await p.build(recipe, {
    outputDir: join(work, `out-${arch}`),
    sourceDateEpoch: 1700000000,
  });
  return r.packages[0];
}

/** The repository root. */
export const REPO = resolve(import.meta.dirname!, "../..");

/**
 * A loopback TCP proxy to `target` that forwards the `nth` PATCH request to
 * the registry (which stores the chunk) but closes the connection instead
 * of passing on the registry's answer: the client sees a failed request
 * whose chunk did arrive.
 */
export function startPatchDroppingProxy(
  target: string,
  nth = 2,
): { host: string; drops: () => number; stop: () => void } {
  const [thost, tport] = target.split(":");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let patches = 0;
  let drops = 0;
  const conns = new Set<Deno.Conn>();
  const close = (c: Deno.Conn) => {
    try {
      c.close();
    } catch {
      // closed
    }
  };
  (async () => {
    for await (const client of listener) {
      (async () => {
        const server = await Deno.connect({ hostname: thost, port: Number(tport) });
        conns.add(client).add(server);
        let swallow = false;
        const down = (async () => {
          const buf = new Uint8Array(65536);
          for (;;) {
            const n = await server.read(buf).catch(() => null);
            if (n === null) break;
            if (swallow) {
              drops++;
              break;
            }
            await client.write(buf.subarray(0, n)).catch(() => {});
          }
          close(client);
          close(server);
        })();
        const buf = new Uint8Array(65536);
        for (;;) {
          const n = await client.read(buf).catch(() => null);
          if (n === null) break;
          if (/^PATCH /.test(new TextDecoder().decode(buf.subarray(0, 6))) && ++patches === nth) {
            swallow = true;
          }
          await server.write(buf.subarray(0, n)).catch(() => {});
        }
        await down;
        conns.delete(client);
        conns.delete(server);
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    host: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    drops: () => drops,
    stop() {
      listener.close();
      for (const c of conns) close(c);
    },
  };
}
