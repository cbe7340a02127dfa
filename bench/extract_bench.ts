/**
 * Extraction against `bsdtar -xf` (what makepkg runs), paired run by run
 * (see `_paired.ts`): each of our runs is a fresh `deno run` process calling
 * the product's `extractInto` (format detection, decoder choice, safe tar
 * extractor), each baseline run a fresh `bsdtar -xf`, both into an emptied
 * and synced directory on the same filesystem.
 *
 *     deno run -A bench/extract_bench.ts run [MiB] [payloads] [formats] [pairs] [decoder]
 *
 * - payloads (comma-separated, default `mixed,small`):
 *   - `mixed`: a third random bytes (4 files, like model weights), a third
 *     text (man pages, 8 files), a third a real source tree (`/usr/include`,
 *     copied as often as needed; thousands of files of every size);
 *   - `small`: 20,000 files of 4 KiB (half random, half text) in 20
 *     directories; MiB is ignored;
 *   - `easy`: base64 of random bytes in 3 large files (where decoding
 *     dominates; the payload the project quoted before these benchmarks).
 * - formats: `tar.gz` (`gzip -6`), `tar.zst` (`zstd -3 -T0`), `tar.xz`
 *   (`xz -T0 -1`), `tar`; default `tar.gz,tar.zst`.
 * - decoder: `default` (the product's choice) or, to compare alternatives,
 *   `thread`, `worker` (in-process `node:zlib` on the main thread or a
 *   worker), `auto` (`zstd -dc` / `pigz -dc` piped in when installed, else
 *   in-process) or `tool` (`zstd -dc`, `pigz -dc` or `gzip -dc` piped in).
 *
 * Archives are built once and kept in `/tmp/wp-bench-data` (delete it to
 * rebuild; `pairs` 0 only builds them). Every run's output is kept in
 * `/tmp/wp-bench-data/trash*` (see `settle`): delete it when done. Under
 * `deno bench` this file registers nothing heavy.
 *
 * `EXTRACT_BENCH_OUT=/dev/shm/x` writes the outputs there instead: on a
 * tmpfs, each run's output is deleted before the next (a tmpfs has no
 * inode-allocation artefact, and keeping them would fill memory), which
 * measures the extractors without the disk's file system (the payload line
 * says so).
 *
 * @module
 */

import { join } from "node:path";
import { extractInto } from "../src/source/extract/extract.ts";
import { type Decoder, openDecompressed, openInProcess } from "../src/source/extract/decompress.ts";
import { detectFormat } from "../src/source/extract/detect.ts";
import { SafeTarExtractor } from "../src/source/extract/tar_extract.ts";
import { readTar } from "../src/source/extract/tar_reader.ts";
import { runPaired, sh } from "./_paired.ts";

const SELF = new URL(import.meta.url).pathname;
const DATA = "/tmp/wp-bench-data";
/** Where the outputs go (see the module doc). */
const OUT_ROOT = Deno.env.get("EXTRACT_BENCH_OUT") ?? DATA;

/** How each format is made from `a.tar`. */
const FORMATS: Record<string, string> = {
  "tar.gz": "gzip -6 -c a.tar > a.tar.gz",
  "tar.zst": "zstd -q -T0 -3 a.tar -o a.tar.zst",
  "tar.xz": "xz -T0 -1 -c a.tar > a.tar.xz",
  "tar": "true",
};

/** The shell that fills `tree/` with each payload (in the payload's directory). */
function payloadScript(payload: string, mib: number): string {
  switch (payload) {
    case "mixed": {
      const third = Math.max(1, Math.round(mib / 3));
      const copies = Math.max(1, Math.round(third / 130));
      return `mkdir -p tree/bin tree/text tree/src
        for i in 1 2 3 4; do head -c $(( ${third} * 256 ))K /dev/urandom > tree/bin/w$i.bin; done
        (while true; do zcat /usr/share/man/man*/*.gz 2>/dev/null; done) | head -c ${third}M |
          split -b $(( ${third} * 128 ))K -a 1 - tree/text/t
        for i in $(seq ${copies}); do cp -r /usr/include tree/src/inc$i; done`;
    }
    case "small":
      return `mkdir -p tree
        for d in $(seq -w 0 19); do mkdir tree/d$d
          if [ $((10#$d % 2)) = 0 ]; then head -c 4000K /dev/urandom
          else (while true; do zcat /usr/share/man/man1/*.gz 2>/dev/null; done) | head -c 4000K; fi |
            split -b 4K -a 3 - tree/d$d/f
        done`;
    case "easy": {
      const each = Math.max(1, Math.round((mib * 3) / 4 / 3));
      return `mkdir -p tree
        for i in 1 2 3; do head -c ${each}M /dev/urandom | base64 -w 76 > tree/w$i.txt; done`;
    }
  }
  throw new Error(`unknown payload ${payload}: use mixed, small or easy`);
}

const DESCRIPTIONS: Record<string, (mib: number) => string> = {
  mixed: (mib) =>
    `mixed ~${mib} MiB: 1/3 random (4 files), 1/3 man-page text (8 files), 1/3 copies of /usr/include`,
  small: () => "20,000 files x 4 KiB (half random, half man-page text), 20 directories",
  easy: (mib) => `easy ~${mib} MiB: base64 of random bytes, 3 files`,
};

/** Builds (once) the archive of `payload` in `format`; returns its path and its tree's size. */
async function archive(payload: string, mib: number, format: string): Promise<string> {
  const dir = join(DATA, payload === "small" ? "small" : `${payload}-${mib}`);
  const path = join(dir, `a.${format}`);
  if (await exists(path)) return path;
  await sh(`set -e; mkdir -p ${dir}; cd ${dir}
    [ -d tree ] || { ${payloadScript(payload, mib)}; }
    [ -f a.tar ] || (cd tree && tar -cf ../a.tar .)
    ${FORMATS[format]}`);
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Child mode: extract `path` into `out`, as the product does or with one decoder forced. */
async function extractOnce(path: string, out: string, decoder: string): Promise<void> {
  if (decoder === "default") return await extractInto(path, "a", { srcdir: out });
  const head = new Uint8Array(8);
  using f = await Deno.open(path);
  await f.read(head);
  const format = detectFormat(head);
  const source = decoder === "tool" || decoder === "auto"
    ? openDecompressed(path, format, undefined, decoder as Decoder)
    : openInProcess(path, format as "gzip" | "zstd", decoder as "thread" | "worker");
  const extractor = new SafeTarExtractor(out, "archive");
  await readTar(source.chunks, extractor);
  await source.close(true);
  extractor.finish();
}

async function main(
  mib: number,
  payloads: string[],
  formats: string[],
  pairs: number,
  decoder: string,
): Promise<void> {
  const out = join(OUT_ROOT, "out");
  const trash = join(OUT_ROOT, "trash");
  let runs = 0;
  await Deno.mkdir(OUT_ROOT, { recursive: true });
  const tmpfs = await isTmpfs(OUT_ROOT);
  // Each run's output is moved aside, not deleted, until the benchmark ends (see settle()),
  // except on a tmpfs.
  const reset = () =>
    tmpfs ? sh(`rm -rf ${out}; mkdir -p ${out}`) : sh(
      `mkdir -p ${trash}; [ ! -e ${out} ] || mv ${out} ${trash}/${runs++}; sync; mkdir -p ${out}`,
    );
  if (!tmpfs) await settle(trash);
  for (const payload of payloads) {
    for (const format of formats) {
      const path = await archive(payload, mib, format);
      if (pairs === 0) continue; // only build the archive
      const size = (await Deno.stat(path)).size / 2 ** 20;
      await runPaired({
        title: `extract ${format}${decoder === "default" ? "" : ` (${decoder} decoder)`}`,
        payload: `${DESCRIPTIONS[payload](mib)}; ${format} ${size.toFixed(0)} MiB${
          tmpfs ? "; output on tmpfs" : ""
        }`,
        ours: {
          name: "extractInto",
          argv: [Deno.execPath(), "run", "-A", SELF, "extract", path, out, decoder],
        },
        baseline: { name: "bsdtar -xf", argv: ["bsdtar", "-xf", path, "-C", out] },
        pairs,
        reset,
      });
    }
  }
  await reset();
  if (tmpfs) await sh(`rm -rf ${out}`);
  else console.log(`\noutputs kept in ${trash}*: delete them when done (see settle())`);
}

/** Whether `dir` is on a tmpfs. */
async function isTmpfs(dir: string): Promise<boolean> {
  const out = await new Deno.Command("stat", { args: ["-f", "-c", "%T", dir] }).output();
  return new TextDecoder().decode(out.stdout).trim() === "tmpfs";
}

/**
 * Moves what a previous benchmark left aside (a rename, instant), never
 * deleting it here. Why outputs are kept: on this machine's ext4 (no
 * journal), allocating an inode skips every free inode of its group deleted
 * in the last 60 s (`recently_deleted` in `find_inode_bit`, rescanned for
 * each new inode). Extracting right after `rm -rf` of the previous run's
 * tree spent 65-75% of both sides' CPU there (`perf record`, bsdtar and
 * ours alike), 0.4-9 s of system time per 200 MiB depending on how recent
 * the deletion was; and deleting is slow here (about 3 ms a file under
 * load). Keeping the outputs measures the extractors, not the deletion.
 * Delete `/tmp/wp-bench-data/trash*` when done, a minute before any other
 * benchmark.
 */
async function settle(trash: string): Promise<void> {
  if (await exists(trash)) await Deno.rename(trash, `${trash}.${Date.now()}`);
}

if (Deno.args[0] === "extract") {
  await extractOnce(Deno.args[1], Deno.args[2], Deno.args[3] ?? "default");
} else if (Deno.args[0] === "run") {
  const [, mib = "1024", payloads = "mixed,small", formats = "tar.gz,tar.zst", pairs = "5"] =
    Deno.args;
  const unknown = formats.split(",").filter((f) => !(f in FORMATS));
  if (unknown.length) throw new Error(`unknown format ${unknown}: use ${Object.keys(FORMATS)}`);
  await main(
    Number(mib),
    payloads.split(","),
    formats.split(","),
    Number(pairs),
    Deno.args[5] ?? "default",
  );
} else {
  Deno.bench({
    name: "extract_bench is a script: deno run -A bench/extract_bench.ts run",
    ignore: true,
    fn() {},
  });
}
