/**
 * Differential tests against makepkg: for every fixture, our
 * `toSrcinfo(parsePkgbuild(...))` must equal the stored `makepkg
 * --printsrcinfo` output byte for byte, makepkg's rejections must show as
 * lint errors (or a typed error), and refused fixtures must be refused. A
 * live part re-runs the installed makepkg on a sample of fixtures to prove
 * the stored expectations still hold.
 */

import { assert, assertEquals, fail } from "../_assert.ts";
import { toSrcinfo } from "../../src/pkgbuild/srcinfo_write.ts";
import { lintPkgbuild } from "../../src/pkgbuild/lint/mod.ts";
import { type Fixture, loadFixtures } from "./_fixtures.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { PkgbuildRefusedError } from "../../src/pkgbuild/errors.ts";
import { ProvisionerError } from "../../src/errors.ts";
import { lineDiff } from "./_line_diff.ts";

const fixtures = loadFixtures();

/** Fixtures written but not yet run through makepkg (see fixtures/pkgbuild/README.md). */
function pendingFixtureCount(): number {
  try {
    return [...Deno.readDirSync(new URL("../../fixtures/pkgbuild-pending", import.meta.url))]
      .filter((e) => e.isDirectory).length;
  } catch {
    return 0;
  }
}

Deno.test("the fixture corpus holds at least 160 PKGBUILDs, each used one with a stored makepkg result", () => {
  const total = fixtures.length + pendingFixtureCount();
  assert(total >= 160, `only ${total} fixtures`);
  const pending = fixtures.filter((f) => f.srcinfo === undefined && f.exit === undefined);
  assertEquals(pending.map((f) => f.name), [], "run tests/oracle/regenerate.sh for these");
  assert(fixtures.filter((f) => f.exit === 12).length >= 10, "too few makepkg-rejected fixtures");
  assert(fixtures.filter((f) => f.refused).length >= 5, "too few refused fixtures");
});

Deno.test("refused fixtures are ones makepkg accepts (so the trusted fallback has an expectation)", () => {
  for (const f of fixtures.filter((f) => f.refused)) {
    assert(f.srcinfo !== undefined, `${f.name}: makepkg rejected it (exit ${f.exit})`);
  }
});

function checkFixture(f: Fixture): void {
  const parse = parsePkgbuild;
  if (f.refused) {
    try {
      parse(f.pkgbuild, { carch: "x86_64" });
    } catch (error) {
      if (error instanceof PkgbuildRefusedError) return;
      throw error;
    }
    fail(`${f.name}: expected a PkgbuildRefusedError, got a result`);
  }
  if (f.exit !== undefined) {
    let pkgbuild;
    try {
      pkgbuild = parse(f.pkgbuild, { carch: "x86_64" });
    } catch (error) {
      if (error instanceof ProvisionerError) return;
      throw error;
    }
    const errors = lintPkgbuild(pkgbuild, { files: f.files, ignoreArch: true }).filter((x) =>
      x.severity === "error"
    );
    assert(errors.length > 0, `${f.name}: makepkg exits ${f.exit} but lint finds no error`);
    if (f.errors !== undefined) {
      // makepkg's wording, with its odd "leading slash : /x" spacing normalised
      const normalize = (m: string): string => m.replace(/ : /g, ": ");
      assertEquals(
        [...new Set(errors.map((e) => normalize(e.message)))].sort(),
        [...new Set(f.errors.map(normalize))].sort(),
        `${f.name}: our lint errors differ from makepkg's`,
      );
    }
    return;
  }
  const pkgbuild = parse(f.pkgbuild, { carch: "x86_64" });
  const actual = toSrcinfo(pkgbuild);
  if (actual !== f.srcinfo) {
    fail(
      `${f.name}: .SRCINFO differs from makepkg's (- makepkg, + ours)\n${
        lineDiff(f.srcinfo!, actual)
      }`,
    );
  }
  const errors = lintPkgbuild(pkgbuild, { files: f.files, ignoreArch: true }).filter((x) =>
    x.severity === "error"
  );
  assertEquals(errors, [], `${f.name}: makepkg accepts it but lint reports errors`);
}

/**
 * Fixtures where our engine is known to differ from makepkg, each with the
 * reason; their tests are listed as ignored with that reason until fixed.
 */
const KNOWN_GAPS: Record<string, string> = {};

for (const f of fixtures) {
  const gap = KNOWN_GAPS[f.name];
  const what = f.refused
    ? "is refused"
    : f.exit !== undefined
    ? `is rejected like makepkg's exit ${f.exit}`
    : "gives makepkg's .SRCINFO byte for byte";
  Deno.test({
    name: `parsePkgbuild() on fixture ${f.name} ${what}${gap ? ` (known gap: ${gap})` : ""}`,
    ignore: gap !== undefined,
    fn: () => checkFixture(f),
  });
}

// ---- live oracle -----------------------------------------------------------

const ORACLE = new URL("../oracle/makepkg-oracle", import.meta.url).pathname;

async function makepkgAvailable(): Promise<string | undefined> {
  const which = await new Deno.Command("sh", { args: ["-c", "command -v makepkg"], stdout: "null" })
    .output();
  if (!which.success) return "makepkg is not installed (apt-get install makepkg libarchive-tools)";
  if (Deno.uid() !== 0) return "the makepkg oracle needs root (it drops to the user builder)";
  return undefined;
}

/** Picks `count` fixtures spread evenly over the sorted list (deterministic). */
function sample(list: Fixture[], count: number): Fixture[] {
  const step = Math.max(1, Math.floor(list.length / count));
  return list.filter((_, i) => i % step === 0).slice(0, count);
}

const skipReason = await makepkgAvailable();
const sampleSize = Number(Deno.env.get("ORACLE_SAMPLE") ?? "10");

Deno.test({
  name: skipReason
    ? `the stored expectations match the installed makepkg (skipped: ${skipReason})`
    : `the stored expectations match the installed makepkg on ${sampleSize} sampled fixtures`,
  ignore: skipReason !== undefined,
  sanitizeResources: false,
  fn: async () => {
    const stored = fixtures.filter((f) => f.srcinfo !== undefined || f.exit !== undefined);
    const picked = sample(stored, sampleSize);
    const mismatches: string[] = [];
    for (let i = 0; i < picked.length; i += 2) {
      await Promise.all(
        picked.slice(i, i + 2).map(async (f) => {
          const out = await new Deno.Command(ORACLE, {
            args: ["srcinfo", f.dir],
            stdout: "piped",
            stderr: "null",
          }).output();
          const text = new TextDecoder().decode(out.stdout);
          if (f.exit !== undefined) {
            if (out.code !== f.exit) {
              mismatches.push(`${f.name}: exit ${out.code}, stored ${f.exit}`);
            }
          } else if (out.code !== 0 || text !== f.srcinfo) {
            mismatches.push(`${f.name}: exit ${out.code}\n${lineDiff(f.srcinfo!, text)}`);
          }
        }),
      );
    }
    assertEquals(mismatches, [], "regenerate with tests/oracle/regenerate.sh");
  },
});
