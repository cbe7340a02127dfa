/**
 * Compares our `.SRCINFO` with makepkg's on a corpus of real-world PKGBUILDs.
 *
 *     deno run -A bench/corpus_compare.ts [DIR] [--carch x86_64] [--diffs 5] [--json]
 *     deno run -A bench/corpus_compare.ts --oracle [--all] [DIR]   (deno task corpus:oracle)
 *     deno run -A bench/corpus_compare.ts --generate N [--seed S] DIR
 *
 * DIR (default `fixtures/corpus`) holds one directory per PKGBUILD with
 * `PKGBUILD` and makepkg's stored result: `.makepkg.exit` (its exit code)
 * and, when that is 0, `.SRCINFO.makepkg`. `--oracle` runs makepkg (through
 * `tests/oracle/makepkg-oracle`, as root, two at a time, in a clean
 * environment: only `PATH`) on every PKGBUILD
 * without a stored result (`--all`: on every one) and stores it; makepkg
 * costs ~0.7 s of CPU per file, so it runs once and the test
 * `tests/pkgbuild/corpus_test.ts` compares against the stored results.
 * `--generate N` writes N PKGBUILDs combined from real-world idioms
 * (`tests/pkgbuild/_generate_pkgbuild.ts`) into DIR, for a differential run
 * (`--oracle DIR`, then the comparison). The comparison prints the counts of identical, different, refused and
 * makepkg-rejected PKGBUILDs, the refusals by cause and the first diffs.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  compareCorpus,
  CORPUS_DIR,
  corpusNames,
  type CorpusOutcome,
  reasonKey,
} from "../tests/pkgbuild/_corpus.ts";
import { generatePkgbuild } from "../tests/pkgbuild/_generate_pkgbuild.ts";

const ORACLE = new URL("../tests/oracle/makepkg-oracle", import.meta.url).pathname;

/** Runs makepkg on one corpus directory and stores its exit code and output. */
async function runOracle(dir: string): Promise<number> {
  // a clean environment, like the build's: no variable of the caller reaches makepkg
  const out = await new Deno.Command(ORACLE, {
    args: ["srcinfo", dir],
    clearEnv: true,
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    stdout: "piped",
    stderr: "null",
  }).output();
  await Deno.writeTextFile(join(dir, ".makepkg.exit"), `${out.code}\n`);
  const stored = join(dir, ".SRCINFO.makepkg");
  if (out.code === 0) await Deno.writeFile(stored, out.stdout);
  else await Deno.remove(stored).catch(() => {});
  return out.code;
}

async function oracle(root: string, all: boolean): Promise<void> {
  const names = corpusNames(root).filter((name) => {
    try {
      return all || !Deno.statSync(join(root, name, ".makepkg.exit")).isFile;
    } catch {
      return true;
    }
  });
  console.log(`running makepkg --printsrcinfo on ${names.length} PKGBUILDs`);
  for (let i = 0; i < names.length; i += 2) {
    const codes = await Promise.all(names.slice(i, i + 2).map((n) => runOracle(join(root, n))));
    codes.forEach((code, k) => console.log(`${code} ${names[i + k]}`));
  }
}

function report(outcomes: Map<string, CorpusOutcome>, diffs: number, json: boolean): void {
  const total = outcomes.size;
  const count = (kind: CorpusOutcome["kind"]): number =>
    [...outcomes.values()].filter((o) => o.kind === kind).length;
  const kinds: CorpusOutcome["kind"][] = [
    "identical",
    "different",
    "refused",
    "error",
    "crashed",
    "rejected",
    "pending",
  ];
  if (json) {
    console.log(JSON.stringify(
      Object.fromEntries([["total", total], ...kinds.map((k) => [k, count(k)])]),
    ));
    return;
  }
  const accepted = total - count("rejected") - count("pending");
  console.log(`corpus: ${total} PKGBUILDs (${accepted} accepted by makepkg)`);
  const labels: Record<CorpusOutcome["kind"], string> = {
    identical: "identical .SRCINFO",
    different: "DIFFERENT .SRCINFO (silently wrong)",
    refused: "refused (PkgbuildRefusedError)",
    error: "other typed error",
    crashed: "CRASHED (untyped exception)",
    rejected: "makepkg-rejected (exit != 0)",
    pending: "no stored makepkg result",
  };
  for (const kind of kinds) {
    const n = count(kind);
    const pct = `${(100 * n / Math.max(1, total)).toFixed(1)}%`;
    console.log(`  ${labels[kind].padEnd(38)} ${String(n).padStart(5)}  ${pct}`);
  }
  if (accepted > 0) {
    const ok = count("identical");
    console.log(`  identical among makepkg-accepted: ${(100 * ok / accepted).toFixed(1)}%`);
  }
  const missed = [...outcomes].filter(([, o]) => o.kind === "rejected" && o.lintAgrees === false);
  if (missed.length > 0) {
    console.log(`  rejected by makepkg, clean by our lint: ${missed.map(([n]) => n).join(" ")}`);
  }
  const reasons = new Map<string, number>();
  for (const o of outcomes.values()) {
    if (o.kind === "refused" || o.kind === "error" || o.kind === "crashed") {
      const key = reasonKey(o.reason);
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  if (reasons.size > 0) {
    console.log("\nrefusals by cause:");
    for (const [key, n] of [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 20)) {
      console.log(`  ${String(n).padStart(4)}  ${key}`);
    }
  }
  const different = [...outcomes].filter(([, o]) => o.kind === "different");
  for (const [name, o] of different.slice(0, diffs)) {
    if (o.kind === "different") console.log(`\n--- ${name} (- makepkg, + ours)\n${o.diff}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      carch: { type: "string", default: "x86_64" },
      diffs: { type: "string", default: "5" },
      json: { type: "boolean", default: false },
      oracle: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
      generate: { type: "string" },
      seed: { type: "string", default: "1" },
    },
  });
  const root = positionals[0] ?? CORPUS_DIR;
  if (values.generate !== undefined) {
    if (positionals[0] === undefined) throw new Error("--generate needs a directory");
    for (let i = 0; i < Number(values.generate); i++) {
      const { name, text } = generatePkgbuild(Number(values.seed), i);
      await Deno.mkdir(join(root, name), { recursive: true });
      await Deno.writeTextFile(join(root, name, "PKGBUILD"), text);
    }
  } else if (values.oracle) await oracle(root, values.all);
  else report(compareCorpus(root, values.carch), Number(values.diffs), values.json);
}

if (import.meta.main) await main();
