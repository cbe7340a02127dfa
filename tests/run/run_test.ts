/** runRecipe(): phases, events, failures, pkgver() and the environment, without the oracle. */

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "../_assert.ts";
import { join } from "node:path";
import { ExitCode } from "../../src/errors.ts";
import {
  BuildFailedError,
  PackageFunctionError,
  PkgverInvalidError,
} from "../../src/run/errors.ts";
import type { RunEvent } from "../../src/run/events.ts";
import { type RunOptions, runRecipe, type RunResult } from "../../src/run/run.ts";
import { readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";

async function withRecipe(
  text: string,
  fn: (
    run: (extra?: Partial<RunOptions>) => Promise<RunResult>,
    events: RunEvent[],
    dir: string,
  ) => Promise<void>,
  metadataCarch = "x86_64",
) {
  const dir = await Deno.makeTempDir({ prefix: "wp-run-" });
  try {
    await Deno.writeTextFile(join(dir, "PKGBUILD"), text);
    await Deno.mkdir(join(dir, "src"));
    const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), {
      carch: metadataCarch,
      sandbox: "auto",
    });
    const events: RunEvent[] = [];
    const run = (extra: Partial<RunOptions> = {}) =>
      runRecipe({
        pkgbuildPath: join(dir, "PKGBUILD"),
        pkgbuild,
        startdir: dir,
        srcdir: join(dir, "src"),
        pkgdirBase: join(dir, "pkg"),
        carch: "x86_64",
        logFile: join(dir, "build.log"),
        onEvent: (e) => events.push(e),
        ...extra,
      });
    await fn(run, events, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const HEADER = "pkgname=t\npkgver=1.0\npkgrel=2\narch=(any)\n";
const phases = (events: RunEvent[]) =>
  events.filter((e) => e.type === "run.phase").map((e) =>
    e.type === "run.phase" && `${e.function}:${e.state}`
  );

Deno.test("runRecipe() skips a missing build() with an event and packages a binary-only recipe", async () => {
  await withRecipe(
    HEADER + 'package() { echo pkg; install -Dm644 /dev/null "$pkgdir/f"; }\n',
    async (run, events) => {
      const result = await run();
      assertEquals(phases(events), [
        "prepare:skipped",
        "pkgver:skipped",
        "build:skipped",
        "check:skipped",
        "package:start",
        "package:end",
      ]);
      const skipped = events.find((e) => e.type === "run.phase" && e.phase === "build");
      assertEquals(skipped, {
        type: "run.phase",
        phase: "build",
        function: "build",
        state: "skipped",
        reason: "no build() function",
      });
      assertEquals(result.pkgver, "1.0");
      assertEquals(result.packages.map((p) => p.name), ["t"]);
      assert(
        events.some((e) =>
          e.type === "run.output" && e.phase === "package" && e.stream === "stdout" &&
          e.line === "pkg"
        ),
      );
      const end = events.find((e) => e.type === "run.phase" && e.state === "end");
      assert(end?.type === "run.phase" && end.exitCode === 0 && typeof end.durationMs === "number");
    },
  );
});

Deno.test("runRecipe() runs prepare, build, check and each package_<name> in makepkg's order", async () => {
  const text = "pkgbase=b\npkgname=(x y)\npkgver=1\npkgrel=1\narch=(any)\n" +
    "prepare() { :; }\nbuild() { :; }\ncheck() { :; }\npackage_y() { :; }\npackage_x() { :; }\n";
  await withRecipe(text, async (run, events) => {
    const result = await run();
    assertEquals(phases(events), [
      "prepare:start",
      "prepare:end",
      "pkgver:skipped",
      "build:start",
      "build:end",
      "check:start",
      "check:end",
      "package_x:start",
      "package_x:end",
      "package_y:start",
      "package_y:end",
    ]);
    assertEquals(result.packages.map((p) => p.name), ["x", "y"]);
    events.length = 0;
    await run({ check: false });
    assert(phases(events).includes("check:skipped"));
  });
});

Deno.test("runRecipe() reports a failing build() with phase, function, exit code, last lines and log", async () => {
  const text = HEADER +
    'build() {\n  for i in $(seq 1 30); do echo "line $i"; done\n  echo oops >&2\n  (exit 3)\n  echo never\n}\npackage() { :; }\n';
  await withRecipe(text, async (run, _events, dir) => {
    const error = await assertRejects(() => run(), BuildFailedError);
    assertEquals(error.code, "BUILD_FAILED");
    assertEquals(error.exitCode, ExitCode.buildFailed);
    assertEquals(error.phase, "build");
    assertEquals(error.functionName, "build");
    assertEquals(error.functionExitCode, 3);
    assertEquals(error.logFile, join(dir, "build.log"));
    assertEquals(error.lastLines.at(-2), "oops");
    assertEquals(error.lastLines.at(-1), "==> ERROR: A failure occurred in build().");
    // One line: function, exit code and the last meaningful line (not makepkg's banner).
    assertEquals(error.message, "build() failed with exit code 3: oops");
    assertEquals(
      error.hint,
      `the whole log is in ${join(dir, "build.log")}; fix the recipe's build()`,
    );
    const log = await Deno.readTextFile(join(dir, "build.log"));
    assertStringIncludes(log, "line 1\n");
    assert(!log.includes("never"));
  });
});

Deno.test("runRecipe() refuses a build() without package(), as makepkg does", async () => {
  await withRecipe(HEADER + "build() { :; }\n", async (run) => {
    const error = await assertRejects(() => run(), PackageFunctionError);
    assertEquals(error.message, "Missing package() function in the PKGBUILD");
  });
});

Deno.test("runRecipe() makes an empty package for a recipe without build() and package()", async () => {
  await withRecipe(HEADER, async (run, events) => {
    const result = await run();
    assertEquals([...Deno.readDirSync(result.packages[0].dir)], []);
    assert(phases(events).includes("package:skipped"));
  });
});

Deno.test("runRecipe() takes pkgver() as the version without rewriting the PKGBUILD", async () => {
  const text = HEADER + "_dir=app-$pkgver\npkgver() { echo 2.5; }\n" +
    'package() { echo "$pkgver-$pkgrel $_dir" > "$pkgdir/v"; }\n';
  await withRecipe(text, async (run, _events, dir) => {
    const result = await run();
    assertEquals(result.pkgver, "2.5");
    assertEquals(await Deno.readTextFile(join(result.packages[0].dir, "v")), "2.5-1 app-2.5\n");
    assertEquals(await Deno.readTextFile(join(dir, "PKGBUILD")), text);
  });
});

Deno.test("runRecipe() rejects a version from pkgver() that makepkg rejects", async () => {
  await withRecipe(HEADER + "pkgver() { echo 1.0-beta; }\npackage() { :; }\n", async (run) => {
    const error = await assertRejects(() => run(), PkgverInvalidError);
    assertStringIncludes(error.message, "hyphens");
  });
});

Deno.test("runRecipe() passes only allow-listed variables, and build flags from build() on", async () => {
  const text = HEADER +
    'prepare() { env | sort > "$srcdir/prepare.env"; }\n' +
    'build() { env | sort > "$srcdir/build.env"; }\n' +
    'package() { cp "$srcdir"/*.env "$pkgdir/"; declare -p srcdir pkgdir startdir CARCH > "$pkgdir/vars"; }\n';
  await withRecipe(text, async (run) => {
    const result = await run({
      sandbox: "off",
      env: {
        PATH: "/usr/bin:/bin",
        LANG: "C.UTF-8",
        LC_ALL: "C",
        HOME: "/root",
        CFLAGS: "-O2",
        MAKEFLAGS: "-j2",
        AWS_SECRET_ACCESS_KEY: "secret",
        SSH_AUTH_SOCK: "/run/agent",
      },
      sourceDateEpoch: 1234,
    });
    const dir = result.packages[0].dir;
    const read = async (f: string) =>
      Object.fromEntries(
        (await Deno.readTextFile(join(dir, f))).trim().split("\n").map((l) => l.split("=", 2)),
      );
    const prepareEnv = await read("prepare.env");
    const buildEnv = await read("build.env");
    for (const env of [prepareEnv, buildEnv]) {
      assertEquals(env.AWS_SECRET_ACCESS_KEY, undefined);
      assertEquals(env.SSH_AUTH_SOCK, undefined);
      assertEquals(env.SOURCE_DATE_EPOCH, "1234");
      assertEquals(env.LANG, "C.UTF-8");
      assertEquals(env.LC_ALL, "C");
      assert(env.HOME !== "/root");
      assertEquals(env.srcdir, undefined, "srcdir is a shell variable, not exported");
    }
    assertEquals(prepareEnv.CFLAGS, undefined);
    assertEquals(prepareEnv.CHOST, undefined);
    assertEquals(buildEnv.CFLAGS, "-O2");
    assertEquals(buildEnv.MAKEFLAGS, "-j2");
    assertEquals(buildEnv.CHOST, "x86_64-pc-linux-gnu");
    const vars = await Deno.readTextFile(join(dir, "vars"));
    assertStringIncludes(vars, `declare -- CARCH="x86_64"`);
  });
});

Deno.test("runRecipe() delivers output lines tagged by stream, as they are written", async () => {
  // build() prints out2 only after the test has seen out1 (it creates $srcdir/go then):
  // if out1 were held back until the function ended, build() would give up instead.
  const text = HEADER +
    "build() { echo out1; echo err1 >&2; for _ in $(seq 600); do [[ -e $srcdir/go ]] && break; sleep 0.05; done; " +
    "if [[ -e $srcdir/go ]]; then echo out2; else echo gave-up; fi; }\npackage() { :; }\n";
  await withRecipe(text, async (run, events, dir) => {
    const seen: string[] = [];
    await run({
      onEvent: (e) => {
        events.push(e);
        if (e.type !== "run.output") return;
        seen.push(`${e.stream}:${e.line}`);
        if (e.line === "out1") Deno.writeTextFileSync(join(dir, "src", "go"), "");
      },
    });
    assertEquals(seen.sort(), ["stderr:err1", "stdout:out1", "stdout:out2"]);
  });
});

Deno.test("runRecipe() reports a PKGBUILD whose last top-level command fails as makepkg does", async () => {
  await withRecipe(
    HEADER + "package() { :; }\n[[ $CARCH == aarch64 ]] && depends=(x)\n",
    async (run) => {
      const error = await run().catch((e) => e);
      assertInstanceOf(error, BuildFailedError);
      assertEquals(error.functionExitCode, 12);
      assertStringIncludes(error.lastLines.join("\n"), "Failed to source");
    },
    "aarch64",
  );
});
