/**
 * The servers and payloads of the source fault matrix: one raw HTTP server
 * on 127.0.0.1 whose paths are faults (redirects to other schemes, bombs,
 * stalls, bodies too large for a small disk), one HTTPS server whose
 * certificate a throwaway CA signs (the CLI trusts it through `DENO_CERT`)
 * redirecting down to http, and decompression bombs built on the fly: a tar
 * of 1 GiB of zeros as concatenated gzip members or zstd frames, about 1 MiB
 * and 40 KiB on disk.
 *
 * @module
 */

import { join } from "node:path";
import { type Reply, startServer, type TestServer } from "../source/_servers.ts";

/** Bytes of zeros inside each bomb. */
export const BOMB_BYTES = 1024 ** 3;
const PIECE = 64 * 1024 ** 2;

/** Runs a shell pipeline, failing on error; returns stdout. */
async function bash(script: string, cwd: string): Promise<Uint8Array> {
  const out = await new Deno.Command("bash", {
    args: ["-o", "pipefail", "-c", script],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${script}: ${new TextDecoder().decode(out.stderr)}`);
  return out.stdout;
}

/** A ustar header for one regular file `name` of `size` bytes. */
function tarHeader(name: string, size: number): Uint8Array {
  const header = new Uint8Array(512);
  const put = (text: string, at: number) => header.set(new TextEncoder().encode(text), at);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0") + "\0";
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(1_700_000_000, 12), 136);
  put("        ", 148);
  put("0", 156);
  put("ustar\u000000", 257);
  const sum = header.reduce((a, b) => a + b, 0);
  put(octal(sum, 7) + " ", 148);
  return header;
}

/**
 * A tar of one 1 GiB file of zeros, compressed with `compress` (a command
 * reading stdin) piece by piece: the pieces concatenate into one valid
 * gzip (members) or zstd (frames) stream, so building it costs one 64 MiB
 * compression.
 */
async function bomb(dir: string, compress: string): Promise<Uint8Array> {
  await Deno.writeFile(join(dir, "header"), tarHeader("zeros.bin", BOMB_BYTES));
  const head = await bash(`${compress} < header`, dir);
  const zeros = await bash(`head -c ${PIECE} /dev/zero | ${compress}`, dir);
  const tail = await bash(`head -c 1024 /dev/zero | ${compress}`, dir); // end-of-archive blocks
  const parts = [head, ...Array(BOMB_BYTES / PIECE).fill(zeros), tail];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The bombs: `.tar.gz` and `.tar.zst`. */
export async function makeBombs(dir: string): Promise<{ gzip: Uint8Array; zstd: Uint8Array }> {
  return { gzip: await bomb(dir, "gzip -9"), zstd: await bomb(dir, "zstd -q -3") };
}

/** A CA and a certificate for 127.0.0.1 it signs; the CLI trusts `caPath` via DENO_CERT. */
export async function makeCertificates(
  dir: string,
): Promise<{ caPath: string; cert: string; key: string }> {
  await bash(
    [
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key",
      "-out ca.pem -days 2 -subj /CN=fault-ca 2>/dev/null &&",
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key",
      "-out leaf.csr -subj /CN=127.0.0.1 2>/dev/null &&",
      "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > leaf.cnf &&",
      "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem",
      "-days 2 -extfile leaf.cnf 2>/dev/null",
    ].join(" "),
    dir,
  );
  return {
    caPath: join(dir, "ca.pem"),
    cert: await Deno.readTextFile(join(dir, "leaf.pem")),
    key: await Deno.readTextFile(join(dir, "leaf.key")),
  };
}

/** What the fault server serves. */
export interface FaultPayloads {
  /** A local file a redirect points at; it must never be read. */
  readonly canary: string;
  /** The gzip bomb. */
  readonly gzipBomb: Uint8Array;
  /** The zstd bomb. */
  readonly zstdBomb: Uint8Array;
}

/** Size of the bodies too large for the 4 MiB disk. */
export const BIG_BYTES = 8 * 1024 ** 2;

/** The fault server: each path is one fault. */
export function startFaultServer(payloads: FaultPayloads): TestServer {
  return startServer(async (request, reply) => {
    const redirect = (location: string) => reply.send(302, "", { location });
    switch (request.path) {
      case "/redirect-file":
        return await redirect(`file://${payloads.canary}`);
      case "/redirect-ftp":
        return await redirect("ftp://127.0.0.1/payload");
      case "/redirect-data":
        return await redirect("data:application/octet-stream;base64,Y2FuYXJ5");
      case "/bomb.tar.gz":
        return await reply.send(200, payloads.gzipBomb);
      case "/bomb.tar.zst":
        return await reply.send(200, payloads.zstdBomb);
      case "/stall-body":
        await reply.head(200, { "content-length": 1024 ** 2 });
        await reply.raw(new Uint8Array(100));
        return await reply.stall(120_000);
      case "/stall-head":
        return await reply.stall(120_000);
      case "/big":
        return await reply.send(200, new Uint8Array(BIG_BYTES));
      case "/big-unsized":
        return await sendUnsized(reply, BIG_BYTES);
      case "/small":
        return await reply.send(200, "small payload\n");
    }
    await reply.send(404, "");
  });
}

/** A body without Content-Length, ended by closing the connection. */
async function sendUnsized(reply: Reply, size: number): Promise<void> {
  await reply.head(200, {});
  const chunk = new Uint8Array(256 * 1024);
  for (let sent = 0; sent < size; sent += chunk.length) await reply.raw(chunk);
}

/** An HTTPS server redirecting every request to `location`. */
export function startHttpsRedirect(
  tls: { cert: string; key: string },
  location: string,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: tls.cert, key: tls.key, onListen: () => {} },
    () => new Response(null, { status: 302, headers: { location } }),
  );
}
