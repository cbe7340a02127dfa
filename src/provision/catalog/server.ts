/**
 * A worker catalog server: serves a catalog directory (format in
 * `catalog/client.ts`) with rbee's worker catalog API, plus the files under
 * `DIR/files/` at `/files/...` with `Range`, `ETag`, `If-Range`,
 * `If-None-Match` and 416 support, for self-hosted and offline catalogs, the
 * demo and the tests. `{{CATALOG_URL}}` in entries and PKGBUILDs is replaced
 * with the URL the request reached the server at.
 *
 * @module
 */

import { isWorkerId } from "../../boundary/worker_id.ts";
import { join, resolve, sep } from "node:path";
import { ExitCode, ProvisionerError } from "../../errors.ts";
import { CatalogDirError, PortInUseError } from "../errors.ts";
import { CATALOG_URL_PLACEHOLDER } from "./client.ts";
import { validateEntry } from "./entry.ts";

/** Options of {@link serveCatalog}. */
export interface ServeCatalogOptions {
  /** The catalog directory. */
  readonly dir: string;
  /** TCP port; `0` picks a free one. @default 8787 */
  readonly port?: number;
  /** Address to listen on. @default "127.0.0.1" */
  readonly hostname?: string;
  /** Stops the server when aborted. */
  readonly signal?: AbortSignal;
  /** Called once listening, with the base URL. */
  readonly onListen?: (url: string) => void;
  /** Called after each request, for logs. */
  readonly onRequest?: (request: Request, status: number) => void;
}

/** A running catalog server. */
export interface CatalogServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops the server and waits until it has. */
  shutdown(): Promise<void>;
}

/** Serves the catalog directory `options.dir` over HTTP. */
export function serveCatalog(options: ServeCatalogOptions): CatalogServer {
  const dir = resolve(options.dir);
  const hostname = options.hostname ?? "127.0.0.1";
  checkCatalogDir(dir);
  const server = listen(options.port ?? 8787, hostname, options.signal, async (request) => {
    const response = await handle(dir, request).catch((error) =>
      json({ error: `Internal error: ${(error as Error).message}` }, 500)
    );
    options.onRequest?.(request, response.status);
    return response;
  });
  const port = (server.addr as Deno.NetAddr).port;
  const host = hostname === "0.0.0.0"
    ? "127.0.0.1"
    : hostname.includes(":")
    ? `[${hostname}]`
    : hostname;
  const url = `http://${host}:${port}`;
  options.onListen?.(url);
  return {
    url,
    port,
    finished: server.finished,
    shutdown: () => server.shutdown(),
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** Refuses a directory that is not a catalog (missing, a file, or without `workers/`). */
function checkCatalogDir(dir: string): void {
  const workers = join(dir, "workers");
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(workers);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const exists = (() => {
      try {
        return Deno.statSync(dir).isDirectory;
      } catch {
        return false;
      }
    })();
    throw new CatalogDirError(
      exists
        ? `${dir} is not a catalog directory: it has no workers/ folder`
        : `No directory ${dir}`,
    );
  }
  if (!info.isDirectory) throw new CatalogDirError(`${workers} is not a directory`);
}

function listen(
  port: number,
  hostname: string,
  signal: AbortSignal | undefined,
  handler: (request: Request) => Promise<Response>,
): Deno.HttpServer<Deno.NetAddr> {
  try {
    return Deno.serve({ port, hostname, signal, onListen: () => {} }, handler);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) throw new PortInUseError(hostname, port);
    if (error instanceof Deno.errors.AddrNotAvailable) {
      throw new ProvisionerError(
        "ADDRESS_UNAVAILABLE",
        ExitCode.usage,
        `Cannot listen on ${hostname}: no interface of this machine has that address`,
        { hint: "pass --hostname 127.0.0.1 (or 0.0.0.0 for every interface)", cause: error },
      );
    }
    throw error;
  }
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw error;
  }
}

async function handle(dir: string, request: Request): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return json({ error: "Method not allowed" }, 405);
  }
  const url = new URL(request.url);
  const base = url.origin;
  const path = url.pathname;
  if (path === "/health") {
    return json({ status: "ok", service: "worker-catalog", version: "0.1.0" });
  }
  if (path === "/workers" || path === "/workers/") {
    return json({ workers: await listEntries(dir, base) });
  }
  const m = path.match(/^\/workers\/([^/]+)(\/PKGBUILD)?$/);
  if (m) {
    const id = decodeURIComponent(m[1]);
    if (!isWorkerId(id)) return json({ error: "Worker not found" }, 404);
    if (m[2]) {
      const text = await readText(join(dir, "workers", id, "PKGBUILD"));
      if (text === null) return json({ error: "PKGBUILD not found" }, 404);
      return new Response(text.replaceAll(CATALOG_URL_PLACEHOLDER, base), {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const entry = await readEntry(dir, id, base);
    return entry === null ? json({ error: "Worker not found" }, 404) : json(entry);
  }
  if (path.startsWith("/files/")) {
    return await serveFile(join(dir, "files"), path.slice(7), request);
  }
  return json({ error: "Not found" }, 404);
}

async function readEntry(dir: string, id: string, base: string): Promise<unknown | null> {
  const text = await readText(join(dir, "workers", id, "worker.json"));
  if (text === null) return null;
  return JSON.parse(text.replaceAll(CATALOG_URL_PLACEHOLDER, base));
}

async function listEntries(dir: string, base: string): Promise<unknown[]> {
  const ids: string[] = [];
  try {
    for await (const e of Deno.readDir(join(dir, "workers"))) {
      if (e.isDirectory && isWorkerId(e.name)) ids.push(e.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  ids.sort();
  const out: unknown[] = [];
  for (const id of ids) {
    const entry = await readEntry(dir, id, base);
    if (entry !== null && !Array.isArray(validateEntry(entry))) out.push(entry);
  }
  return out;
}

/** Parses a single `bytes=` range against `size`; `null` = unsatisfiable, `undefined` = ignore. */
export function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | null | undefined {
  const m = header.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === "" && m[2] === "")) return undefined; // malformed or multi-range: serve whole
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}

async function serveFile(filesDir: string, rawRel: string, request: Request): Promise<Response> {
  let rel: string;
  try {
    rel = decodeURIComponent(rawRel);
  } catch {
    return json({ error: "Not found" }, 404);
  }
  if (rel.split("/").some((s) => s === ".." || s === ".") || rel.includes("\0")) {
    return json({ error: "Not found" }, 404);
  }
  const path = join(filesDir, rel);
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch {
    return json({ error: "Not found" }, 404);
  }
  const realBase = await Deno.realPath(filesDir);
  if (!real.startsWith(realBase + sep)) return json({ error: "Not found" }, 404);
  const info = await Deno.stat(real);
  if (!info.isFile) return json({ error: "Not found" }, 404);
  const size = info.size;
  const etag = `"${size.toString(16)}-${(info.mtime?.getTime() ?? 0).toString(16)}"`;
  const headers = new Headers({
    "etag": etag,
    "accept-ranges": "bytes",
    "content-type": "application/octet-stream",
    "last-modified": (info.mtime ?? new Date(0)).toUTCString(),
  });
  if (request.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  let range = request.headers.has("range")
    ? parseRange(request.headers.get("range")!, size)
    : undefined;
  const ifRange = request.headers.get("if-range");
  if (range !== undefined && ifRange !== null && ifRange !== etag) range = undefined;
  if (range === null) {
    headers.set("content-range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });
  return new Response(await fileSlice(real, start, length), { status, headers });
}

async function fileSlice(
  path: string,
  start: number,
  length: number,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  let left = length;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (left <= 0) {
        file.close();
        controller.close();
        return;
      }
      const buf = new Uint8Array(Math.min(left, 64 * 1024));
      const n = await file.read(buf);
      if (n === null) {
        file.close();
        controller.close();
        return;
      }
      left -= n;
      controller.enqueue(buf.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  });
}
