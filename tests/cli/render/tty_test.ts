import { assert, assertEquals } from "../../_assert.ts";
import { join } from "node:path";
import { barLine } from "../../../src/cli/render/tty.ts";
import { cliCommandArgs } from "../_cli.ts";
import { type Pane, tmuxAvailable, withPane } from "../_tmux.ts";

const DRIVER = new URL("./_tty_driver.ts", import.meta.url).pathname;
const BAR =
  /worker\.tar\.gz\s+\[#*-*\]\s+\d+%\s+[\d.]+ MiB\/50\.0 MiB\s+5\.0 MiB\/s\s+ETA \d+:\d\d/;

Deno.test("barLine() shows bytes, total, rate and ETA within the width", () => {
  const line = barLine("worker.tar.gz", {
    bytes: 25 * 1048576,
    total: 50 * 1048576,
    rate: 5 * 1048576,
    started: 0,
  }, 100);
  assert(BAR.test(line), line);
  assert(line.includes(" 50%"));
  assert(line.includes("ETA 0:05"));
  assert(line.length < 100);
  assert(barLine("x".repeat(200), { bytes: 1, total: 2, rate: 1, started: 0 }, 80).length < 80);
});

Deno.test({
  name: "the TTY renderer draws a progress bar in a real terminal and erases it cleanly",
  ignore: !(await tmuxAvailable()),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const release = join(dir, "release");
      const command = `${Deno.execPath()} run --allow-read=${dir} ${DRIVER} ${release}`;
      await withPane(command, async (pane) => {
        const drawing = await pane.waitFor(
          (rows) => rows.some((r) => BAR.test(r)),
          "the progress bar",
        );
        // Exactly one bar row and one status row are drawn, below the lines printed above them.
        assertEquals(drawing.filter((r) => BAR.test(r)).length, 1);
        const barRow = drawing.findIndex((r) => BAR.test(r));
        assert(
          drawing.slice(0, barRow).some((r) => r === "fetching worker.tar.gz (http://127.0.0.1/w)"),
        );
        assert(drawing[barRow + 1].startsWith("> fetching sources demo ("), drawing.join("\n"));
        await Deno.writeTextFile(release, "");
        const done = await pane.waitFor(
          (rows) => rows.some((r) => r.startsWith("EXIT=")),
          "the end",
        );
        const text = done.filter((r) => r !== "");
        assertEquals(done.some((r) => BAR.test(r) || r.startsWith("> ")), false, done.join("\n"));
        assertEquals(text.slice(0, 2), [
          "fetching sources demo",
          "fetching worker.tar.gz (http://127.0.0.1/w)",
        ]);
        const outputs = text.filter((r) => r.startsWith("  | build line "));
        assert(outputs.length >= 1);
        outputs.forEach((r, i) => assertEquals(r, `  | build line ${i + 1}`));
        assertEquals(text.slice(-5, -1).map((r) => r.replace(/\(50\.0 MiB in [\d.]+ s\)/, "(T)")), [
          "fetched worker.tar.gz (T)",
          "running build()",
          "  | compiling",
          "installed demo 1.0.0-1",
        ]);
        assertEquals(text.at(-1), "EXIT=0");
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Runs `cli.ts fetch` of a 6 MiB file (named `name`) from a slow local server in a tmux pane. */
async function fetchInTerminal(
  env: string,
  check: (pane: Pane) => Promise<void>,
  options: { name?: string; columns?: number } = {},
): Promise<void> {
  const name = options.name ?? "big.bin";
  const dir = await Deno.makeTempDir();
  const size = 6 * 1024 * 1024;
  const chunk = 128 * 1024;
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(stream) {
          await new Promise((r) => setTimeout(r, 40));
          stream.enqueue(new Uint8Array(chunk));
          sent += chunk;
          if (sent >= size) stream.close();
        },
      });
      return new Response(body, { headers: { "content-length": String(size) } });
    },
  );
  try {
    const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(size));
    const sum = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    await Deno.mkdir(join(dir, "recipe"));
    await Deno.writeTextFile(
      join(dir, "recipe/PKGBUILD"),
      `pkgname=big\npkgver=1\npkgrel=1\narch=(any)\n` +
        `source=("${name}::http://127.0.0.1:${server.addr.port}/big.bin")\nsha256sums=('${sum}')\n` +
        `package() { :; }\n`,
    );
    const args = cliCommandArgs(["fetch", join(dir, "recipe"), "--cache-dir", join(dir, "cache")]);
    await withPane([env, Deno.execPath(), ...args].join(" ").trim(), check, {
      columns: options.columns ?? 120,
    });
  } finally {
    controller.abort();
    await server.finished;
    await Deno.remove(dir, { recursive: true });
  }
}

const FETCH_BAR =
  /^ {2}big\.bin\s+\[#*-*\]\s+\d+%\s+[\d.]+ (KiB|MiB)\/6\.0 MiB\s+[\d.]+ \w+\/s(\s+ETA \d+:\d\d)?$/;
const FETCHED = `fetched and verified 1 source(s) of big 1-1 (${Deno.build.arch})`;

Deno.test({
  name: "cli.ts fetch in a real terminal shows the download's bar and erases it before the result",
  ignore: !(await tmuxAvailable()),
  fn: () =>
    fetchInTerminal("", async (pane) => {
      const drawing = await pane.waitFor((rows) => rows.some((r) => FETCH_BAR.test(r)), "the bar");
      assertEquals(drawing.filter((r) => FETCH_BAR.test(r)).length, 1);
      const done = await pane.waitFor((rows) => rows.some((r) => r.startsWith("EXIT=")), "the end");
      const text = done.filter((r) => r !== "");
      assertEquals(text.some((r) => r.includes("[#") || r.includes("--]")), false, done.join("\n"));
      assertEquals(text.slice(-3).map((r) => r.replace(/in [\d.]+ s/, "in T s")), [
        "fetched big.bin (6.0 MiB in T s)",
        FETCHED,
        "EXIT=0",
      ]);
    }),
});

Deno.test({
  name: "cli.ts fetch in a real terminal with NO_COLOR prints plain lines and never a bar",
  ignore: !(await tmuxAvailable()),
  fn: () =>
    fetchInTerminal("NO_COLOR=1", async (pane) => {
      const done = await pane.waitFor((rows) => rows.some((r) => r.startsWith("EXIT=")), "the end");
      const text = done.filter((r) => r !== "");
      assertEquals(text.some((r) => FETCH_BAR.test(r)), false, done.join("\n"));
      assertEquals(text.slice(-7).map((r) => r.replace(/ \(.*\)$/, "")), [
        "fetching big.bin",
        "  big.bin: 25% of 6.0 MiB",
        "  big.bin: 50% of 6.0 MiB",
        "  big.bin: 75% of 6.0 MiB",
        "fetched big.bin",
        "fetched and verified 1 source(s) of big 1-1",
        "EXIT=0",
      ]);
    }),
});

const LONG_NAME = "llm-worker-rbee-cpu-x86_64-linux.tar.gz";

for (const columns of [60, 120]) {
  Deno.test({
    name: `the progress bar at ${columns} columns keeps name, percent and size whole on one row`,
    ignore: !(await tmuxAvailable()),
    fn: () =>
      fetchInTerminal("", async (pane) => {
        const bar = (r: string) => /\d+%\s+[\d.]+ (B|KiB|MiB)\/6\.0 MiB/.test(r);
        const drawing = await pane.waitFor((rows) => rows.some(bar), "the bar");
        const row = drawing.find(bar)!;
        assert(row.length < columns, `${row.length} >= ${columns}: ${row}`);
        // The name is whole, or keeps at least 24 characters before a `~`.
        const shown = row.trim().split(/\s+/)[0];
        assert(
          shown === LONG_NAME || (shown.endsWith("~") && LONG_NAME.startsWith(shown.slice(0, -1)) &&
            shown.length >= 24),
          shown,
        );
        if (columns >= 120) assert(/MiB\/s|KiB\/s/.test(row), `rate shown at ${columns}: ${row}`);
        // No row of the drawing wrapped: every other row is a status or output line.
        const index = drawing.indexOf(row);
        assert(!/^\s*[\d.]+ MiB/.test(drawing[index + 1] ?? ""), drawing.join("\n"));
        await pane.waitFor((rows) => rows.some((r) => r.startsWith("EXIT=0")), "the end");
      }, { name: LONG_NAME, columns }),
  });
}
