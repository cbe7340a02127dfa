/**
 * Differential test of the tidy steps: each recipe of fixtures/tidy is built
 * by makepkg with Debian's makepkg.conf OPTIONS (`ORACLE_OPTIONS=default`:
 * strip, zipman, purge on) and by runRecipe() followed by tidyPackage(); the
 * package trees must have the same paths, types, modes and contents.
 */

import { assertEquals } from "../_assert.ts";
import { join, resolve } from "node:path";
import { runRecipe } from "../../src/run/run.ts";
import { parsePkgbuild } from "../../src/pkgbuild/mod.ts";
import { DEBIAN_MAKEPKG_CONF, recipeOptionsOf, tidyPackage } from "../../src/tidy/mod.ts";
import { haveMakepkg, ORACLE, snapshotTree } from "../run/_helpers.ts";

const FIXTURES = resolve(import.meta.dirname!, "../../fixtures/tidy");
const haveGcc = (() => {
  try {
    return Deno.statSync("/usr/bin/gcc").isFile;
  } catch {
    return false;
  }
})();
/** One comparison: a fixture built with makepkg.conf OPTIONS (`default`: Debian's). */
interface Case {
  readonly name: string;
  readonly fixture: string;
  readonly options: "default" | readonly string[];
}
const fixtureCases: Case[] = [...Deno.readDirSync(FIXTURES)].filter((e) => e.isDirectory)
  .map((e) => e.name).sort().map((name) => ({ name, fixture: name, options: "default" }));
/** `strip debug`: the debug split into `<pkgbase>-debug`, compared package by package. */
const cases: Case[] = [
  ...fixtureCases,
  { name: "elf-libs-man-debug", fixture: "elf-libs-man", options: ["strip", "debug"] },
];

const work = await Deno.makeTempDir({ prefix: "wp-tidy-diff-" });

/** makepkg's package trees of case `c`. */
async function oracle(c: Case): Promise<string> {
  const out = join(work, c.name, "oracle");
  await Deno.mkdir(out, { recursive: true });
  const res = await new Deno.Command(ORACLE, {
    args: ["build", join(FIXTURES, c.fixture), out],
    env: { ORACLE_OPTIONS: c.options === "default" ? "default" : c.options.join(" ") },
    stdout: "null",
    stderr: "null",
  }).output();
  const log = await Deno.readTextFile(join(out, "makepkg.log")).catch(() => "");
  assertEquals(res.code, 0, `makepkg failed:\n${log}`);
  return join(out, "pkg");
}

const canRun = haveMakepkg() && haveGcc;
// Start the oracle runs at once (they run while our side builds).
const oracles = new Map(canRun ? cases.map((c) => [c.name, oracle(c)]) : []);

for (const [index, c] of cases.entries()) {
  const name = c.name;
  const options = c.options === "default" ? "Debian's OPTIONS" : `OPTIONS=(${c.options.join(" ")})`;
  Deno.test({
    name:
      `tidyPackage() leaves fixtures/tidy/${c.fixture} as makepkg's tidy_install does (${options})`,
    ignore: !canRun,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      try {
        const startdir = join(FIXTURES, c.fixture);
        const base = join(work, name, "ours");
        const pkgbuildPath = join(startdir, "PKGBUILD");
        const pkgbuild = parsePkgbuild(await Deno.readTextFile(pkgbuildPath), { carch: "x86_64" });
        await Deno.mkdir(join(base, "src"), { recursive: true });
        const result = await runRecipe({
          pkgbuildPath,
          pkgbuild,
          startdir,
          srcdir: join(base, "src"),
          pkgdirBase: join(base, "pkg"),
          carch: "x86_64",
          logFile: join(base, "build.log"),
        });
        for (const pkg of result.packages) {
          await tidyPackage({
            pkgdir: pkg.dir,
            pkgdirBase: join(base, "pkg"),
            pkgbase: pkgbuild.pkgbase,
            srcdir: join(base, "src"),
            config: c.options === "default"
              ? DEBIAN_MAKEPKG_CONF
              : { ...DEBIAN_MAKEPKG_CONF, options: c.options },
            recipeOptions: recipeOptionsOf(pkgbuild, pkg.name),
          });
        }
        const expected = await oracles.get(name)!;
        const made = [...Deno.readDirSync(join(base, "pkg"))].map((e) => e.name).sort();
        assertEquals(made, [...Deno.readDirSync(expected)].map((e) => e.name).sort());
        for (const pkg of made.map((n) => ({ name: n, dir: join(base, "pkg", n) }))) {
          assertEquals(
            await snapshotTree(pkg.dir),
            await snapshotTree(join(expected, pkg.name)),
            `package ${pkg.name} differs from makepkg's`,
          );
        }
      } finally {
        if (index === cases.length - 1) await Deno.remove(work, { recursive: true });
      }
    },
  });
}
