/**
 * Extraction of a ~1 GiB tar.gz and tar.zst: our safe extractor (tar reader
 * checking every member) fed by the in-process `node:zlib` decoder on the
 * main thread (`thread`) or on a decode worker (`worker`), and by the system
 * decoder (`gzip -dcf`, `zstd -dcf`; `tool`), against `bsdtar -xf` (what
 * makepkg runs). Prints each time and its ratio to bsdtar; the fastest
 * decoder per format is the default in `src/source/extract/decompress.ts`.
 * Target: no slower than 1.1x bsdtar.
 *
 *     deno run -A bench/extract_bench.ts run [size-in-MiB] [tar.gz,tar.zst,tar.xz]
 *
 * tar.xz (not in the default set: compressing takes minutes) is decoded by
 * `xz -T0 -dcf` only.
 *
 * The content is a mix of large compressible files (base64 of random bytes,
 * like model weights in text-ish formats) and 128 KiB files. Each of our
 * runs is a fresh process (so its peak RSS is reported); times are best of
 * three, each run starting from an empty output directory with the previous
 * tree removed and synced outside the timing. Under `deno bench` this file registers nothing heavy.
 *
 * @module
 */

import { join } from "node:path";
import {
  type ByteSource,
  openDecompressed,
  openInProcess,
} from "../src/source/extract/decompress.ts";
import { detectFormat } from "../src/source/extract/detect.ts";
import { SafeTarExtractor } from "../src/source/extract/tar_extract.ts";
import { readTar } from "../src/source/extract/tar_reader.ts";

const SELF = new URL(import.meta.url).pathname;

async function sh(script: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command("bash", { args: ["-c", script], stderr: "inherit" }).output();
  if (!out.success) throw new Error(`failed: ${script}`);
  return performance.now() - started;
}

/** Rounds per format; each reports its best. */
const ROUNDS = 3;

/** The ways we decode: in-process on the main thread or a worker, or the system tool. */
const DECODERS = ["thread", "worker", "tool"] as const;
type BenchDecoder = (typeof DECODERS)[number];

function open(archive: string, format: string, decoder: BenchDecoder): ByteSource {
  if (decoder === "tool") return openDecompressed(archive, format, undefined, "tool");
  return openInProcess(archive, format as "gzip" | "zstd", decoder)!;
}

/** How each format is made from `a.tar`, and the decoders we have for it. */
const FORMATS: Record<string, { make: string; decoders: readonly BenchDecoder[] }> = {
  "tar.gz": { make: "gzip -1 -c a.tar > a.tar.gz", decoders: DECODERS },
  "tar.zst": { make: "zstd -q -T0 -3 a.tar -o a.tar.zst", decoders: DECODERS },
  "tar.xz": { make: "xz -T0 -1 -c a.tar > a.tar.xz", decoders: ["tool"] },
};

/** Child mode: extract `archive` into `out` with `decoder`; print ms and peak RSS. */
async function extractOnce(archive: string, out: string, decoder: BenchDecoder): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  const started = performance.now();
  const head = new Uint8Array(8);
  using f = await Deno.open(archive);
  await f.read(head);
  const source = open(archive, detectFormat(head), decoder);
  const extractor = new SafeTarExtractor(out, "archive");
  await readTar(source.chunks, extractor);
  await source.close(true);
  extractor.finish();
  const ms = performance.now() - started;
  const status = await Deno.readTextFile("/proc/self/status");
  console.log(
    JSON.stringify({ ms, peakRssMiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024 }),
  );
}

async function ours(
  archive: string,
  out: string,
  decoder: string,
): Promise<{ ms: number; wall: number; rss: number }> {
  const started = performance.now();
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "extract", archive, out, decoder],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const wall = performance.now() - started;
  if (!res.success) throw new Error("extract child failed");
  const { ms, peakRssMiB } = JSON.parse(new TextDecoder().decode(res.stdout));
  return { ms, wall, rss: peakRssMiB };
}

async function main(mib: number, formats: string[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "extract-bench-" });
  try {
    const big = Math.round((mib * 3) / 4 / 3);
    const smallCount = Math.round((mib / 4) * 8);
    await sh(`set -e; mkdir -p ${dir}/tree/big ${dir}/tree/small
      for i in 1 2 3; do head -c $(( ${big} * 3 / 4 ))M /dev/urandom | base64 -w 76 > ${dir}/tree/big/w$i.txt; done
      head -c $(( ${smallCount} * 96 ))K /dev/urandom | base64 -w 76 | split -b 128K -a 5 - ${dir}/tree/small/f
      cd ${dir}/tree && tar -cf ../a.tar . && cd .. && ${
      formats.map((f) => FORMATS[f].make).join(" && ")
    } && rm a.tar`);
    console.log(`extract ~${mib} MiB tree (load ${Deno.loadavg()[0].toFixed(1)})`);
    for (const ext of formats) {
      const decoders = FORMATS[ext].decoders;
      const archive = join(dir, `a.${ext}`);
      const results: Record<string, { ms: number; wall?: number; rss?: number }> = {};
      for (let round = 0; round < ROUNDS; round++) {
        // Removing the last tree and flushing its pages is not timed, for either side.
        await sh(`rm -rf ${dir}/o && sync && mkdir ${dir}/o`);
        const base = await sh(`bsdtar -xf ${archive} -C ${dir}/o`);
        results.bsdtar = { ms: Math.min(results.bsdtar?.ms ?? Infinity, base) };
        for (const decoder of decoders) {
          await sh(`rm -rf ${dir}/o && sync`);
          const r = await ours(archive, join(dir, "o"), decoder);
          const prev = results[decoder];
          if (!prev || r.ms < prev.ms) results[decoder] = r;
        }
      }
      await sh(`rm -rf ${dir}/o`);
      const base = results.bsdtar.ms;
      console.log(`  ${ext}: bsdtar -xf ${base.toFixed(0)} ms`);
      for (const decoder of decoders) {
        const r = results[decoder];
        console.log(
          `  ${ext}: ours, ${decoder} decoder ${r.ms.toFixed(0)} ms (${
            (r.ms / base).toFixed(2)
          }x), ` +
            `process wall ${r.wall!.toFixed(0)} ms (${(r.wall! / base).toFixed(2)}x), peak RSS ${
              r.rss!.toFixed(0)
            } MiB`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (Deno.args[0] === "extract") {
  await extractOnce(Deno.args[1], Deno.args[2], Deno.args[3] as BenchDecoder);
} else if (Deno.args[0] === "run") {
  const formats = (Deno.args[2] ?? "tar.gz,tar.zst").split(",");
  const unknown = formats.filter((f) => !(f in FORMATS));
  if (unknown.length) throw new Error(`unknown format ${unknown}: use ${Object.keys(FORMATS)}`);
  await main(Number(Deno.args[1] ?? 1024), formats);
} else {
  Deno.bench({
    name: "extract_bench is a script: deno run -A bench/extract_bench.ts run",
    ignore: true,
    fn() {},
  });
}
