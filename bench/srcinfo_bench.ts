/**
 * Benchmark: our `parsePkgbuild` + `toSrcinfo` against `makepkg
 * --printsrcinfo` on the same fixtures, in the same run (`deno task bench`,
 * or `deno run -A bench/srcinfo_bench.ts`).
 *
 * Prints one line per sampled fixture with both times and their ratio, then
 * the median ratio against the target (at least 300x faster per file). Ours
 * is timed on every fixture makepkg accepts and we parse; makepkg on a
 * deterministic sample (`SRCINFO_BENCH_SAMPLE`, default 10), run as the
 * unprivileged user `builder` through the oracle script when we are root
 * (makepkg refuses root), directly otherwise. Also registers `Deno.bench`
 * cases for `deno bench`'s own report.
 *
 * @module
 */

import { join } from "node:path";
import { toSrcinfo } from "../src/pkgbuild/srcinfo_write.ts";
import { type Fixture, loadFixtures } from "../tests/pkgbuild/_fixtures.ts";
import { parsePkgbuild } from "../src/pkgbuild/parse.ts";
import { parseBash } from "../src/bash/parse/parser.ts";

type ParsePkgbuild = typeof parsePkgbuild;

const ORACLE = new URL("../tests/oracle/makepkg-oracle", import.meta.url).pathname;
const ORACLE_CONF = new URL("../tests/oracle/makepkg.conf", import.meta.url).pathname;
const CARCH = "x86_64";

async function hasMakepkg(): Promise<boolean> {
  const out = await new Deno.Command("sh", { args: ["-c", "command -v makepkg"], stdout: "null" })
    .output();
  return out.success;
}

/** Runs `makepkg --printsrcinfo` on `dir` once and returns its wall time in ms. */
async function timeMakepkg(dir: string): Promise<number> {
  if (Deno.uid() === 0) {
    const start = performance.now();
    await new Deno.Command(ORACLE, { args: ["srcinfo", dir], stdout: "null", stderr: "null" })
      .output();
    return performance.now() - start;
  }
  const work = await Deno.makeTempDir({ prefix: "srcinfo-bench-" });
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile) await Deno.copyFile(join(dir, entry.name), join(work, entry.name));
    }
    const start = performance.now();
    await new Deno.Command("makepkg", {
      args: ["--config", ORACLE_CONF, "--printsrcinfo"],
      cwd: work,
      env: { PACMAN: "true", BUILDDIR: join(work, "build"), SRCDEST: join(work, "src") },
      stdout: "null",
      stderr: "null",
    }).output();
    return performance.now() - start;
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Mean time in ms of parse + toSrcinfo on `f`, over enough runs to be stable. */
function timeOurs(parse: ParsePkgbuild, f: Fixture): number {
  for (let i = 0; i < 5; i++) toSrcinfo(parse(f.pkgbuild, { carch: CARCH }));
  const runs = 50;
  const start = performance.now();
  for (let i = 0; i < runs; i++) toSrcinfo(parse(f.pkgbuild, { carch: CARCH }));
  return (performance.now() - start) / runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parses(parse: ParsePkgbuild, f: Fixture): boolean {
  try {
    parse(f.pkgbuild, { carch: CARCH });
    return true;
  } catch {
    return false;
  }
}

const parse: ParsePkgbuild = parsePkgbuild;
const accepted = loadFixtures().filter((f) => f.srcinfo !== undefined && !f.refused);
const ours = accepted.filter((f) => parses(parse, f));

async function report(parse: ParsePkgbuild): Promise<void> {
  const perFile = new Map(ours.map((f) => [f.name, timeOurs(parse, f)]));
  const total = [...perFile.values()].reduce((a, b) => a + b, 0);
  console.log(
    `parse + toSrcinfo: ${ours.length} fixtures, ${total.toFixed(2)} ms in all, ` +
      `${(total / Math.max(1, ours.length)).toFixed(3)} ms per file`,
  );
  if (!(await hasMakepkg())) {
    console.log("makepkg is not installed: no baseline (apt-get install makepkg libarchive-tools)");
    return;
  }
  const count = Number(Deno.env.get("SRCINFO_BENCH_SAMPLE") ?? "10");
  if (count <= 0 || ours.length === 0) return;
  const step = Math.max(1, Math.floor(ours.length / count));
  const sample = ours.filter((_, i) => i % step === 0).slice(0, count);
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ")[0];
  console.log(`makepkg --printsrcinfo on ${sample.length} of them (load average ${load}):`);
  console.log(
    `${"fixture".padEnd(40)} ${"ours ms".padStart(9)} ${"makepkg ms".padStart(11)}  ratio`,
  );
  const ratios: number[] = [];
  for (const f of sample) {
    const theirs = await timeMakepkg(f.dir);
    const mine = perFile.get(f.name)!;
    ratios.push(theirs / mine);
    console.log(
      `${f.name.padEnd(40)} ${mine.toFixed(3).padStart(9)} ${theirs.toFixed(0).padStart(11)}  ${
        (theirs / mine).toFixed(0)
      }x`,
    );
  }
  const m = median(ratios);
  console.log(
    `median ratio ${m.toFixed(0)}x, minimum ${Math.min(...ratios).toFixed(0)}x ` +
      `(target >= 300x per file: ${Math.min(...ratios) >= 300 ? "met" : "NOT met"})`,
  );
}

/** The parser's time on `n` copies of one line, best of three (one GC pause does not decide). */
function parseTime(unit: string, n: number): number {
  const text = unit.repeat(n);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    parseBash(text);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Linearity: 8x the input should take about 8x the time (target < 32x). */
function reportLinearity(): void {
  const unit = 'depends+=("a-${x:-$(echo "b")}" $((1+2)))\n';
  parseTime(unit, 1000);
  const small = parseTime(unit, 2000), large = parseTime(unit, 16000);
  const ratio = large / small;
  console.log(
    `parseBash linearity: 2000 lines ${small.toFixed(1)} ms, 16000 lines ${large.toFixed(1)} ms, ` +
      `ratio ${ratio.toFixed(1)} for 8x the input (target < 32: ${ratio < 32 ? "met" : "NOT met"})`,
  );
  const t = performance.now();
  try {
    parseBash("$((".repeat(150));
  } catch {
    // a typed syntax or limit error, checked by tests/pkgbuild/fuzz_test.ts
  }
  console.log(
    `150 unclosed $(( refused in ${(performance.now() - t).toFixed(1)} ms (target < 1000)`,
  );
}

reportLinearity();
await report(parse);
let next = 0;
Deno.bench({
  name: "parsePkgbuild + toSrcinfo, one fixture (round robin)",
  fn: () => {
    const f = ours[next++ % ours.length];
    toSrcinfo(parse(f.pkgbuild, { carch: CARCH }));
  },
});
Deno.bench({
  name: `parsePkgbuild + toSrcinfo, all ${ours.length} fixtures`,
  n: 20,
  fn: () => {
    for (const f of ours) toSrcinfo(parse(f.pkgbuild, { carch: CARCH }));
  },
});
