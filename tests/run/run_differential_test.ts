/**
 * Differential tests: every recipe of fixtures/run is built by makepkg (the
 * oracle, two at a time) and by runRecipe(); the package trees must match.
 */

import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { runRecipe } from "../../src/run/run.ts";
import { readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";
import { FIXTURES, haveMakepkg, oracleBuild, prepareSrcdir, snapshotTree } from "./_helpers.ts";

/**
 * A makepkg build under fakeroot costs ~30 s of CPU here, so the default run
 * (`deno task test`, CI) compares a fixed sample that covers every kind of
 * recipe; `WP_RUN_FIXTURES=all` (`deno task test:makepkg-builds`) compares all
 * of them and `WP_RUN_FIXTURES=a,b` some of them.
 */
const DEFAULT_SAMPLE = [
  "binary-arch-tarball",
  "check-function",
  "empty-dirs",
  "helper-function",
  "install-modes",
  "noextract-tarball",
  "pkgver-function",
  "split-basic",
  "split-overrides",
  "symlinks",
  "toplevel-vars",
];
const selection = Deno.env.get("WP_RUN_FIXTURES");
const only = selection === "all" ? undefined : selection?.split(",") ?? DEFAULT_SAMPLE;
const fixtures = [...Deno.readDirSync(FIXTURES)]
  .filter((e) => e.isDirectory && isRecipe(join(FIXTURES, e.name)))
  .map((e) => e.name)
  .filter((name) => only === undefined || only.includes(name))
  .sort();

function isRecipe(dir: string): boolean {
  try {
    return Deno.statSync(join(dir, "PKGBUILD")).isFile;
  } catch {
    return false;
  }
}

const work = await Deno.makeTempDir({ prefix: "wp-run-diff-" });
// Start every oracle run now (the queue runs two at a time); each test awaits its own.
const oracle = new Map(
  haveMakepkg()
    ? fixtures.map((name) => [name, oracleBuild(join(FIXTURES, name), join(work, name, "oracle"))])
    : [],
);

/** makepkg's CHOST in Debian's /etc/makepkg.conf, which the oracle's config sources. */
const ORACLE_CHOST = "x86_64-linux-gnu";

for (const [index, name] of fixtures.entries()) {
  Deno.test({
    name: `runRecipe() builds fixtures/run/${name} into the same package trees as makepkg`,
    ignore: !haveMakepkg(),
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      try {
        const startdir = join(FIXTURES, name);
        const base = join(work, name);
        const pkgbuild = await readPkgbuildTrusted(join(startdir, "PKGBUILD"), { carch: "x86_64" });
        await prepareSrcdir(startdir, join(base, "src"), pkgbuild);
        const result = await runRecipe({
          pkgbuildPath: join(startdir, "PKGBUILD"),
          pkgbuild,
          startdir,
          srcdir: join(base, "src"),
          pkgdirBase: join(base, "pkg"),
          carch: "x86_64",
          chost: ORACLE_CHOST,
          logFile: join(base, "build.log"),
        });
        const expected = await oracle.get(name)!;
        assertEquals(expected.code, 0, `makepkg failed:\n${expected.log}`);
        const names = result.packages.map((p) => p.name);
        const oracleNames = [...Deno.readDirSync(join(base, "oracle", "pkg"))].map((e) => e.name);
        assertEquals(names.toSorted(), oracleNames.toSorted());
        for (const pkg of result.packages) {
          assertEquals(
            await snapshotTree(pkg.dir),
            await snapshotTree(join(base, "oracle", "pkg", pkg.name)),
            `package ${pkg.name} differs from makepkg's`,
          );
        }
      } finally {
        if (index === fixtures.length - 1) await Deno.remove(work, { recursive: true });
      }
    },
  });
}
