/**
 * Paired benchmarking: ours and a baseline run alternately, pair by pair
 * (A B, then B A, ...), each a fresh process under `/usr/bin/time`, so both
 * sides of a pair see the same machine load. What it reports per pair is the
 * ratio ours/baseline of wall time and of CPU time (user + sys of the
 * process tree); the summary is the median and the minimum of those ratios,
 * with the load average before and after. On a shared machine, wall time is
 * mostly waiting and CPU time is the load-independent figure.
 *
 * Each result row is printed as Markdown, ready for `BENCHMARKS.md`.
 *
 * @module
 */

/** One timed process. */
export interface Sample {
  /** Wall time, ms. */
  readonly wallMs: number;
  /** User + system CPU time of the process and its waited-for children, ms. */
  readonly cpuMs: number;
  /** Peak resident set of the largest process in the tree, MiB. */
  readonly peakRssMiB: number;
}

/** One side of a comparison: a command line run under `/usr/bin/time`. */
export interface Side {
  /** What the side is, as printed. */
  readonly name: string;
  /** The argv to run (use `["bash", "-c", script]` for a pipeline). */
  readonly argv: readonly string[];
}

/** A paired comparison. */
export interface PairedSpec {
  /** What is measured, e.g. `extract tar.zst`. */
  readonly title: string;
  /** What the input is, stated with the result (size, kind of content). */
  readonly payload: string;
  /** Our side. */
  readonly ours: Side;
  /** The baseline side. */
  readonly baseline: Side;
  /** Number of pairs (at least 5 for a reported result). */
  readonly pairs: number;
  /** Untimed work before every single run (e.g. emptying the output directory). */
  readonly reset?: () => Promise<void>;
  /** How one run is timed. @default {@link timeProcess} */
  readonly timer?: (argv: readonly string[]) => Promise<Sample>;
}

/** The outcome of {@link runPaired}. */
export interface PairedResult {
  /** The spec's title. */
  readonly title: string;
  /** Per pair: [ours, baseline]. */
  readonly pairs: readonly (readonly [Sample, Sample])[];
  /** Median and minimum of the per-pair wall ratios. */
  readonly wall: { readonly median: number; readonly min: number };
  /** Median and minimum of the per-pair CPU ratios. */
  readonly cpu: { readonly median: number; readonly min: number };
  /** 1-minute load average before and after. */
  readonly load: readonly [number, number];
}

/** Median of `xs` (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `argv` once under `/usr/bin/time`; throws with its stderr when it fails. */
export async function timeProcess(argv: readonly string[]): Promise<Sample> {
  const marker = "@@time@@";
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", `${marker} %U %S %M`, ...argv],
    stdout: "null",
    stderr: "piped",
  }).output();
  const wallMs = performance.now() - started;
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${argv.join(" ")} failed:\n${stderr}`);
  const line = stderr.split("\n").findLast((l) => l.startsWith(marker))!;
  const [user, system, rssKiB] = line.slice(marker.length).trim().split(" ").map(Number);
  return { wallMs, cpuMs: (user + system) * 1000, peakRssMiB: rssKiB / 1024 };
}

/** `0m0.021s` (bash's `times`) in ms. */
function timesMs(field: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(field);
  if (!m) throw new Error(`unexpected \`times\` field ${field}`);
  return (Number(m[1]) * 60 + Number(m[2])) * 1000;
}

/**
 * Like {@link timeProcess}, for processes of tens of milliseconds: wall
 * time from bash's `$EPOCHREALTIME` around the process and CPU time from
 * bash's `times` (the children's user + sys in milliseconds, where
 * `/usr/bin/time` prints 10 ms steps); peak RSS still from `/usr/bin/time`.
 */
export async function timeProcessPrecise(argv: readonly string[]): Promise<Sample> {
  const marker = "@@precise@@";
  const script = `s=$EPOCHREALTIME; "$@" >/dev/null; rc=$?; e=$EPOCHREALTIME; ` +
    `echo "${marker} $s $e"; times; exit $rc`;
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "@@time@@ %M", "bash", "-c", script, "bash", ...argv],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).split("\n");
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${argv.join(" ")} failed:\n${stderr}`);
  const at = stdout.findIndex((l) => l.startsWith(marker));
  const [start, end] = stdout[at].slice(marker.length).trim().split(" ").map(Number);
  const [user, system] = stdout[at + 2].trim().split(" ").map(timesMs);
  const rssKiB = Number(stderr.split("\n").findLast((l) => l.startsWith("@@time@@"))!.slice(9));
  return { wallMs: (end - start) * 1000, cpuMs: user + system, peakRssMiB: rssKiB / 1024 };
}

/** Runs the pairs, prints each pair and the summary, and returns the result. */
export async function runPaired(spec: PairedSpec): Promise<PairedResult> {
  const load0 = Deno.loadavg()[0];
  const pairs: [Sample, Sample][] = [];
  const once = async (side: Side) => {
    await spec.reset?.();
    return await (spec.timer ?? timeProcess)(side.argv);
  };
  console.log(`\n${spec.title}: ${spec.ours.name} vs ${spec.baseline.name}`);
  console.log(`  payload: ${spec.payload}`);
  for (let i = 0; i < spec.pairs; i++) {
    let ours: Sample, base: Sample;
    if (i % 2 === 0) {
      ours = await once(spec.ours);
      base = await once(spec.baseline);
    } else {
      base = await once(spec.baseline);
      ours = await once(spec.ours);
    }
    pairs.push([ours, base]);
    console.log(
      `  pair ${i + 1}: ours ${fmt(ours)} | baseline ${fmt(base)} | wall ${
        (ours.wallMs / base.wallMs).toFixed(2)
      }x cpu ${(ours.cpuMs / Math.max(base.cpuMs, 1)).toFixed(2)}x`,
    );
  }
  const wallRatios = pairs.map(([o, b]) => o.wallMs / b.wallMs);
  const cpuRatios = pairs.map(([o, b]) => o.cpuMs / Math.max(b.cpuMs, 1));
  const result: PairedResult = {
    title: spec.title,
    pairs,
    wall: { median: median(wallRatios), min: Math.min(...wallRatios) },
    cpu: { median: median(cpuRatios), min: Math.min(...cpuRatios) },
    load: [load0, Deno.loadavg()[0]],
  };
  printSummary(spec, result);
  return result;
}

function fmt(s: Sample): string {
  return `${s.wallMs.toFixed(0)} ms (cpu ${s.cpuMs.toFixed(0)} ms, ${s.peakRssMiB.toFixed(0)} MiB)`;
}

function printSummary(spec: PairedSpec, r: PairedResult): void {
  const med = (pick: (s: Sample) => number, side: 0 | 1) =>
    median(r.pairs.map((p) => pick(p[side]))).toFixed(0);
  const rss = (side: 0 | 1) => Math.max(...r.pairs.map((p) => p[side].peakRssMiB)).toFixed(0);
  console.log(
    `  => ${spec.title}: wall median ${r.wall.median.toFixed(2)}x (min ${
      r.wall.min.toFixed(2)
    }x), ` +
      `cpu median ${r.cpu.median.toFixed(2)}x (min ${
        r.cpu.min.toFixed(2)
      }x), ${r.pairs.length} pairs, ` +
      `load ${r.load[0].toFixed(1)}-${r.load[1].toFixed(1)}`,
  );
  console.log(
    `  | ${spec.title} | ${spec.payload} | \`${spec.ours.name}\` vs \`${spec.baseline.name}\` | ` +
      `${r.pairs.length} | ${r.load[0].toFixed(1)}-${r.load[1].toFixed(1)} | ` +
      `${med((s) => s.wallMs, 0)} / ${med((s) => s.wallMs, 1)} ms | ` +
      `**${r.wall.median.toFixed(2)}x** (min ${r.wall.min.toFixed(2)}x) | ` +
      `${med((s) => s.cpuMs, 0)} / ${med((s) => s.cpuMs, 1)} ms | ` +
      `**${r.cpu.median.toFixed(2)}x** (min ${r.cpu.min.toFixed(2)}x) | ${rss(0)} / ${
        rss(1)
      } MiB |`,
  );
}

/** Runs a bash script (untimed setup); throws when it fails. */
export async function sh(script: string): Promise<void> {
  const out = await new Deno.Command("bash", { args: ["-c", script], stderr: "inherit" }).output();
  if (!out.success) throw new Error(`failed: ${script}`);
}
