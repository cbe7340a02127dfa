/**
 * Test HTTP servers on 127.0.0.1 with fault injection. A raw TCP server
 * (not Deno.serve) so a test controls every byte: cut a body half-way, stall,
 * omit Content-Length, answer 416, ignore Range, loop redirects.
 *
 * @module
 */

/** One request as the server saw it. */
export interface SeenRequest {
  /** Request method. */
  readonly method: string;
  /** Request target as sent (a path, or an absolute URL through a proxy). */
  readonly target: string;
  /** Request path (without query). */
  readonly path: string;
  /** Lower-cased header names to values. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Writes a response on a raw connection. */
export interface Reply {
  /** Writes raw bytes. */
  raw(bytes: Uint8Array | string): Promise<void>;
  /** Writes a status line and headers (`Connection: close` added). */
  head(status: number, headers?: Record<string, string | number>): Promise<void>;
  /** Writes a complete response with Content-Length. */
  send(
    status: number,
    body?: Uint8Array | string,
    headers?: Record<string, string | number>,
  ): Promise<void>;
  /** Waits `ms`, or until the server closes. */
  stall(ms: number): Promise<void>;
}

/** Handles request number `n` (1-based, per path) of a test server. */
export type Handler = (request: SeenRequest, reply: Reply, n: number) => Promise<void>;

/** A running test server. */
export interface TestServer extends AsyncDisposable {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: SeenRequest[];
  /** Requests currently being answered. */
  readonly inFlight: () => number;
  /** The most requests answered at the same time. */
  readonly maxInFlight: () => number;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts a raw HTTP/1.1 server calling `handler` once per connection (one request each). */
export function startServer(handler: Handler): TestServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const requests: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const conns = new Set<Deno.Conn>();
  const tasks = new Set<Promise<void>>();
  const closing = new AbortController();
  let inFlight = 0;
  let maxInFlight = 0;
  const serveConn = async (conn: Deno.Conn) => {
    conns.add(conn);
    try {
      const request = await readRequest(conn);
      if (!request) return;
      requests.push(request);
      const n = (counts.get(request.path) ?? 0) + 1;
      counts.set(request.path, n);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await handler(request, makeReply(conn, closing.signal), n);
      } finally {
        inFlight--;
      }
    } catch {
      // The client went away: expected in fault tests.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      const task = serveConn(conn);
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  })().catch(() => {});
  const close = async () => {
    closing.abort();
    try {
      listener.close();
    } catch {
      // already closed
    }
    for (const conn of conns) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    await accepting;
    await Promise.allSettled([...tasks]);
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function readRequest(conn: Deno.Conn): Promise<SeenRequest | undefined> {
  const buffer = new Uint8Array(16384);
  let filled = 0;
  while (true) {
    const n = await conn.read(buffer.subarray(filled));
    if (n === null) return undefined;
    filled += n;
    const text = new TextDecoder().decode(buffer.subarray(0, filled));
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      if (filled === buffer.length) return undefined;
      continue;
    }
    const [line, ...rest] = text.slice(0, end).split("\r\n");
    const [method, target] = line.split(" ");
    const headers: Record<string, string> = {};
    for (const h of rest) {
      const i = h.indexOf(":");
      if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    const path = target.startsWith("http") ? new URL(target).pathname : target.split("?")[0];
    return { method, target, path, headers };
  }
}

function makeReply(conn: Deno.Conn, closing: AbortSignal): Reply {
  const raw = async (bytes: Uint8Array | string) => {
    const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
    let written = 0;
    while (written < data.length) written += await conn.write(data.subarray(written));
  };
  const head = async (status: number, headers: Record<string, string | number> = {}) => {
    const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Status"}`];
    for (const [k, v] of Object.entries({ connection: "close", ...headers })) {
      lines.push(`${k}: ${v}`);
    }
    await raw(lines.join("\r\n") + "\r\n\r\n");
  };
  return {
    raw,
    head,
    async send(status, body = "", headers = {}) {
      const data = typeof body === "string" ? encoder.encode(body) : body;
      await head(status, { "content-length": data.length, ...headers });
      await raw(data);
    },
    stall(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        closing.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    },
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  404: "Not Found",
  416: "Range Not Satisfiable",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Options of {@link serveBytes}. */
export interface ServeOptions {
  /** ETag sent with the file. @default a quoted constant */
  etag?: string;
  /** Answer 200 with the whole file even to a Range request. */
  ignoreRange?: boolean;
}

/** Answers like a correct static file server: 200, or 206 for `Range` (honouring `If-Range`). */
export async function serveBytes(
  request: SeenRequest,
  reply: Reply,
  body: Uint8Array,
  options: ServeOptions = {},
): Promise<void> {
  const etag = options.etag ?? `"v1"`;
  const range = /^bytes=(\d+)-$/.exec(request.headers["range"] ?? "");
  const ifRange = request.headers["if-range"];
  if (range && !options.ignoreRange && (ifRange === undefined || ifRange === etag)) {
    const start = Number(range[1]);
    if (start >= body.length) {
      await reply.send(416, "", { "content-range": `bytes */${body.length}` });
      return;
    }
    await reply.send(206, body.subarray(start), {
      etag,
      "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
    });
    return;
  }
  await reply.send(200, body, { etag, "accept-ranges": "bytes" });
}

/** Deterministic pseudo-random bytes (so checksums are stable within a test). */
export function testBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
