/**
 * Ctrl-C at about half of a large download, typed in a real terminal, keeps
 * what arrived; the re-run says it resumes and the server sends only the
 * rest (counted at the server).
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { cliCommandArgs, runCli } from "./_cli.ts";
import { tmuxAvailable, withPane } from "./_tmux.ts";

const SIZE = 16 << 20;
const CHUNK = 256 << 10;

/** Serves SIZE bytes slowly, with an ETag and Range support; counts the bytes of each answer. */
function rangeServer() {
  const body = new Uint8Array(SIZE).map((_, i) => (i * 31) & 0xff);
  const sent: number[] = [];
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
  }, (request) => {
    const range = /^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "");
    const start = range && request.headers.get("if-range") === `"v1"` ? Number(range[1]) : 0;
    const index = sent.push(0) - 1;
    let offset = start;
    const stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        await new Promise((r) => setTimeout(r, 25));
        if (offset >= SIZE) return c.close();
        const piece = body.subarray(offset, Math.min(SIZE, offset + CHUNK));
        offset += piece.length;
        sent[index] += piece.length;
        c.enqueue(piece);
      },
    });
    const headers: Record<string, string> = {
      etag: `"v1"`,
      "accept-ranges": "bytes",
      "content-length": String(SIZE - start),
    };
    if (start) headers["content-range"] = `bytes ${start}-${SIZE - 1}/${SIZE}`;
    return new Response(stream, { status: start ? 206 : 200, headers });
  });
  const sha = createHash("sha256").update(body).digest("hex");
  return {
    url: `http://127.0.0.1:${server.addr.port}/big.bin`,
    sha,
    sent,
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

Deno.test({
  name: "Ctrl-C at half a download in a terminal, then a re-run that transfers only the rest",
  ignore: !(await tmuxAvailable()),
  fn: async () => {
    const t = await Deno.makeTempDir();
    const server = rangeServer();
    try {
      await Deno.mkdir(join(t, "recipe"));
      await Deno.writeTextFile(
        join(t, "recipe/PKGBUILD"),
        `pkgname=big\npkgver=1\npkgrel=1\narch=(any)\nsource=("big.bin::${server.url}")\n` +
          `sha256sums=('${server.sha}')\npackage() { :; }\n`,
      );
      const args = ["fetch", join(t, "recipe"), "--cache-dir", join(t, "cache")];
      // The shell traps Ctrl-C (its children start with the default action), so it lives on to
      // print the CLI's exit status, as an interactive shell would.
      const command = `trap : INT; ${[Deno.execPath(), ...cliCommandArgs(args)].join(" ")}`;
      await withPane(command, async (pane) => {
        await pane.waitFor(() => (server.sent[0] ?? 0) >= SIZE / 2, "half the file sent", 60_000);
        await pane.keys("C-c");
        await pane.waitFor((rows) => rows.some((r) => r.startsWith("EXIT=")), "the end", 30_000)
          .then((rows) => assert(rows.includes("EXIT=130"), rows.join("\n")));
      });
      const first = server.sent[0];
      assert(first >= SIZE / 2 && first < SIZE, `${first} bytes before Ctrl-C`);
      const again = await runCli(args);
      assertEquals(again.code, 0, again.stderr);
      assertStringIncludes(again.stderr, "resuming big.bin from ");
      assertEquals(server.sent.length, 2, "one more request");
      // The kept part is at least what the CLI wrote before the cancel; the server sent the rest only.
      assert(server.sent[1] <= SIZE - SIZE / 2, `${server.sent[1]} bytes sent again`);
      assertEquals(first + server.sent[1] >= SIZE, true);
    } finally {
      await server.close();
      await Deno.remove(t, { recursive: true });
    }
  },
});
