/**
 * Compares our `.SRCINFO` with makepkg's on a corpus of real-world PKGBUILDs.
 *
 *     deno run -A bench/corpus_compare.ts /work/corpus [--carch x86_64] [--diffs 5] [--json]
 *
 * The corpus holds one directory per PKGBUILD with `PKGBUILD`,
 * `expected.exit` (makepkg's exit code) and, when that is 0,
 * `expected.SRCINFO` (see `tests/oracle/regenerate.sh --corpus`). Prints the
 * counts and percentages of identical, different, refused and
 * makepkg-rejected PKGBUILDs, the top refusal reasons, and the different ones
 * with a diff of the first few.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { toSrcinfo } from "../src/pkgbuild/srcinfo_write.ts";
import { lintPkgbuild } from "../src/pkgbuild/lint/mod.ts";
import { isRefusal, isTypedError, loadParsePkgbuild } from "../tests/pkgbuild/_load_parser.ts";
import { lineDiff } from "../tests/pkgbuild/_line_diff.ts";

type Outcome =
  | { kind: "identical" }
  | { kind: "different"; diff: string }
  | { kind: "refused"; reason: string }
  | { kind: "error"; reason: string }
  | { kind: "crashed"; reason: string }
  | { kind: "rejected"; lintAgrees: boolean | undefined };

/** Replaces the specifics of a message (numbers, quoted names) so equal causes group together. */
function reasonKey(message: string): string {
  return message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "…").replace(/\d+/g, "N").slice(0, 120);
}

function filesBeside(dir: string): Set<string> {
  const files = new Set<string>();
  const walk = (sub: string): void => {
    for (const entry of Deno.readDirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory) walk(rel);
      else files.add(rel);
    }
  };
  walk("");
  return files;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** For PKGBUILDs the oracle has not run on yet: how many we parse, refuse or crash on. */
function reportPending(
  names: string[],
  root: string,
  parse: (text: string, options?: { carch?: string }) => unknown,
  carch: string,
): void {
  if (names.length === 0) return;
  let parsed = 0;
  let refused = 0;
  let crashed = 0;
  for (const name of names) {
    try {
      parse(Deno.readTextFileSync(join(root, name, "PKGBUILD")), { carch });
      parsed++;
    } catch (error) {
      if (isTypedError(error)) refused++;
      else crashed++;
    }
  }
  console.log(
    `(${names.length} PKGBUILDs still wait for the oracle: we parse ${parsed}, ` +
      `refuse or reject ${refused}, crash on ${crashed})`,
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      carch: { type: "string", default: "x86_64" },
      diffs: { type: "string", default: "5" },
      json: { type: "boolean", default: false },
    },
  });
  const root = positionals[0];
  if (!root) {
    console.error("usage: corpus_compare.ts CORPUS_DIR [--carch ARCH] [--diffs N] [--json]");
    Deno.exit(2);
  }
  const parse = await loadParsePkgbuild();
  if (!parse) {
    console.error("src/pkgbuild/parse.ts does not exist yet: nothing to compare");
    Deno.exit(1);
  }
  const all = [...Deno.readDirSync(root)].filter((e) => e.isDirectory && !e.name.startsWith("_"))
    .map((e) => e.name).filter((name) => exists(join(root, name, "PKGBUILD"))).sort();
  const dirs = all.filter((name) => exists(join(root, name, "expected.exit")));
  reportPending(all.filter((name) => !dirs.includes(name)), root, parse, values.carch);
  const outcomes = new Map<string, Outcome>();
  for (const name of dirs) {
    const dir = join(root, name);
    const text = Deno.readTextFileSync(join(dir, "PKGBUILD"));
    const exit = Number(Deno.readTextFileSync(join(dir, "expected.exit")).trim());
    let pkgbuild;
    try {
      pkgbuild = parse(text, { carch: values.carch });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (exit !== 0) outcomes.set(name, { kind: "rejected", lintAgrees: undefined });
      else if (isRefusal(error)) outcomes.set(name, { kind: "refused", reason: message });
      else if (isTypedError(error)) outcomes.set(name, { kind: "error", reason: message });
      else outcomes.set(name, { kind: "crashed", reason: message });
      continue;
    }
    if (exit !== 0) {
      const errors = lintPkgbuild(pkgbuild, { files: filesBeside(dir) })
        .filter((f) => f.severity === "error");
      outcomes.set(name, { kind: "rejected", lintAgrees: errors.length > 0 });
      continue;
    }
    const expected = Deno.readTextFileSync(join(dir, "expected.SRCINFO"));
    let actual: string;
    try {
      actual = toSrcinfo(pkgbuild);
    } catch (error) {
      outcomes.set(name, { kind: "crashed", reason: `toSrcinfo: ${error}` });
      continue;
    }
    outcomes.set(
      name,
      actual === expected ? { kind: "identical" } : {
        kind: "different",
        diff: lineDiff(expected, actual),
      },
    );
  }
  report(outcomes, Number(values.diffs), values.json);
}

function report(outcomes: Map<string, Outcome>, diffs: number, json: boolean): void {
  const total = outcomes.size;
  const count = (kind: Outcome["kind"]): number =>
    [...outcomes.values()].filter((o) => o.kind === kind).length;
  const pct = (n: number): string => `${(100 * n / Math.max(1, total)).toFixed(1)}%`;
  const accepted = total - count("rejected");
  const kinds: Outcome["kind"][] = [
    "identical",
    "different",
    "refused",
    "error",
    "crashed",
    "rejected",
  ];
  if (json) {
    console.log(JSON.stringify(
      Object.fromEntries([["total", total], ...kinds.map((k) => [k, count(k)])]),
    ));
    return;
  }
  console.log(`corpus: ${total} PKGBUILDs (${accepted} accepted by makepkg)`);
  const labels: Record<Outcome["kind"], string> = {
    identical: "identical .SRCINFO",
    different: "DIFFERENT .SRCINFO (silently wrong)",
    refused: "refused (PkgbuildRefusedError)",
    error: "other typed error",
    crashed: "CRASHED (untyped exception)",
    rejected: "makepkg-rejected (exit != 0)",
  };
  for (const kind of kinds) {
    console.log(
      `  ${labels[kind].padEnd(38)} ${String(count(kind)).padStart(5)}  ${pct(count(kind))}`,
    );
  }
  if (accepted > 0) {
    const ok = count("identical");
    console.log(`  identical among makepkg-accepted: ${(100 * ok / accepted).toFixed(1)}%`);
  }
  const rejected = [...outcomes.values()].filter((o) => o.kind === "rejected");
  const linted = rejected.filter((o) => o.kind === "rejected" && o.lintAgrees !== undefined);
  const agree = linted.filter((o) => o.kind === "rejected" && o.lintAgrees).length;
  console.log(`  makepkg-rejected that we parsed: ${linted.length}, our lint errors on ${agree}`);
  const missed = [...outcomes].filter(([, o]) => o.kind === "rejected" && o.lintAgrees === false);
  if (missed.length > 0) {
    console.log(
      `  rejected by makepkg, clean by our lint: ${missed.map(([name]) => name).join(" ")}`,
    );
  }
  const reasons = new Map<string, number>();
  for (const o of outcomes.values()) {
    if (o.kind === "refused" || o.kind === "error" || o.kind === "crashed") {
      const key = reasonKey(o.reason);
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  if (reasons.size > 0) {
    console.log("\ntop refusal / error reasons:");
    for (const [key, n] of [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 15)) {
      console.log(`  ${String(n).padStart(4)}  ${key}`);
    }
  }
  const different = [...outcomes].filter(([, o]) => o.kind === "different");
  if (different.length > 0) {
    console.log(`\ndifferent: ${different.map(([name]) => name).join(" ")}`);
    for (const [name, o] of different.slice(0, diffs)) {
      if (o.kind === "different") console.log(`\n--- ${name} (- makepkg, + ours)\n${o.diff}`);
    }
  }
}

if (import.meta.main) await main();
