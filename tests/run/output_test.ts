/**
 * Output: 50 MB written to stdout and stderr at once by build() streams
 * through line by line without deadlock, memory stays bounded, the log keeps it all.
 */

import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { runRecipe } from "../../src/run/run.ts";
import { readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";

const LINES_PER_STREAM = 250_000; // 100-byte lines: 25 MB on each stream

Deno.test("runRecipe() streams 50 MB of stdout and stderr from build() with bounded memory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-output-" });
  try {
    await Deno.writeTextFile(
      join(dir, "PKGBUILD"),
      `pkgname=noisy
pkgver=1
pkgrel=1
arch=(any)
build() {
  local line; line=$(printf 'x%.0s' {1..99})
  yes "o$line" | head -n ${LINES_PER_STREAM} &
  yes "e$line" | head -n ${LINES_PER_STREAM} >&2 &
  wait
  printf 'no newline at the end'
}
package() { :; }
`,
    );
    await Deno.mkdir(join(dir, "src"));
    const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64" });
    const counts = { stdout: 0, stderr: 0, bytes: 0 };
    let sawUnterminated = false;
    const rssBefore = Deno.memoryUsage().rss;
    let rssPeak = rssBefore;
    const started = performance.now();
    await runRecipe({
      pkgbuildPath: join(dir, "PKGBUILD"),
      pkgbuild,
      startdir: dir,
      srcdir: join(dir, "src"),
      pkgdirBase: join(dir, "pkg"),
      carch: "x86_64",
      logFile: join(dir, "build.log"),
      onEvent: (e) => {
        if (e.type !== "run.output" || e.phase !== "build") return;
        counts[e.stream]++;
        counts.bytes += e.line.length + 1;
        if (e.line === "no newline at the end") sawUnterminated = true;
        if ((counts.stdout + counts.stderr) % 50_000 === 0) {
          rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = Deno.memoryUsage().rss;
    rssPeak = Math.max(rssPeak, rssAfter);
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    console.log(
      `  ${mb(counts.bytes)} MB in ${seconds.toFixed(1)} s; RSS before ${mb(rssBefore)} MB, ` +
        `peak ${mb(rssPeak)} MB, after ${mb(rssAfter)} MB`,
    );
    assertEquals(counts.stdout, LINES_PER_STREAM + 1);
    assertEquals(counts.stderr, LINES_PER_STREAM);
    assert(sawUnterminated, "the last line without a newline was lost");
    assert(rssPeak - rssBefore < 150 * 1024 * 1024, `RSS grew by ${mb(rssPeak - rssBefore)} MB`);
    const log = await Deno.stat(join(dir, "build.log"));
    assert(log.size >= 2 * LINES_PER_STREAM * 101, `log holds ${log.size} bytes`);
    // Every line is in the log, whole.
    let stdoutLines = 0;
    const decoder = new TextDecoder();
    let carry = "";
    for await (const chunk of (await Deno.open(join(dir, "build.log"))).readable) {
      const text = carry + decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      carry = lines.pop()!;
      for (const l of lines) if (l.startsWith("o") && l.length === 100) stdoutLines++;
    }
    assertEquals(stdoutLines, LINES_PER_STREAM);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
