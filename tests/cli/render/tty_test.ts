import { assert, assertEquals } from "@std/assert";
import { join } from "@std/path";
import { barLine } from "../../../src/cli/render/tty.ts";
import { tmuxAvailable, withPane } from "../_tmux.ts";

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
