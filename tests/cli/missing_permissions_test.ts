/**
 * Each command run without a permission it needs stops before doing
 * anything: exit 8, one line on stderr naming the flag to add, nothing
 * written. A command loaded on use (`src/cli/_load.ts`) run from files
 * also needs to read the program's `src/`: the cases grant it, and the
 * last tests check a run without it names it.
 */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { isStartUpCommand } from "../../src/cli/_load.ts";
import { REPO, runCli, treeOf } from "./_cli.ts";

const DEMO = join(REPO, "fixtures/demo");
const ARCH = ["--arch", Deno.build.arch];
const SRC = join(REPO, "src");

/**
 * Reading `src/` when the command of `args` is loaded on use and `flags`
 * do not grant it already (not what the cases test; a scoped flag after
 * the bare `--allow-read` would narrow it).
 */
function sourceGrant(args: readonly string[], flags: readonly string[]): string[] {
  const name = args[0] === "catalog" ? "catalog serve" : args[0];
  if (isStartUpCommand(name) || flags.includes("--allow-read")) return [];
  return [`--allow-read=${SRC}`];
}

interface Case {
  readonly name: string;
  readonly args: (t: string) => string[];
  readonly flags: (t: string) => string[];
  readonly missing: (t: string) => string;
}

const CASES: Case[] = [
  {
    name: "list without read access to the root",
    args: (t) => ["list", "--root", `${t}/root`],
    flags: () => [],
    missing: (t) => `--allow-read=${t}/root`,
  },
  {
    name: "install from a catalog directory with no permission at all",
    args: (
      t,
    ) => [
      "install",
      "demo-hello",
      "--catalog",
      DEMO,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
      ...ARCH,
    ],
    flags: () => [],
    missing: () => "--allow-read --allow-write --allow-run=bash --allow-sys=hostname",
  },
  {
    name: "install without --allow-run=bash",
    args: (
      t,
    ) => [
      "install",
      "demo-hello",
      "--catalog",
      DEMO,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
      ...ARCH,
    ],
    flags: () => ["--allow-read", "--allow-write", "--allow-sys=hostname"],
    missing: () => "--allow-run=bash",
  },
  {
    name: "install from an HTTP catalog without network access to it",
    args: (
      t,
    ) => [
      "install",
      "demo-hello",
      "--catalog",
      "http://127.0.0.1:9",
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/c`,
      ...ARCH,
    ],
    flags: () => ["--allow-read", "--allow-write", "--allow-run=bash", "--allow-sys=hostname"],
    missing: () => "--allow-net=127.0.0.1:9",
  },
  {
    name: "install with a defaulted cache directory but no env or uid access",
    args: (t) => ["install", "demo-hello", "--catalog", DEMO, "--root", `${t}/root`, ...ARCH],
    flags: () => ["--allow-read", "--allow-write", "--allow-run=bash", "--allow-sys=hostname"],
    // Without the uid the layout is unknown: every variable a user layout reads is named at once.
    missing: () => "--allow-env=HOME,WORKER_PROVISIONER_CACHE_DIR,XDG_CACHE_HOME --allow-sys=uid",
  },
  {
    name: "uninstall with read but no write access",
    args: (t) => ["uninstall", "demo-hello", "--root", `${t}/root`],
    flags: (t) => [`--allow-read=${t}`, "--allow-sys=hostname"],
    missing: (t) => `--allow-write=${t}/root`,
  },
  {
    name: "verify without any access",
    args: (t) => ["verify", "demo-hello", "--root", `${t}/root`],
    flags: () => [],
    missing: (t) =>
      `--allow-read=${t}/root --allow-write=${t}/root/var/lib/worker-provisioner --allow-sys=hostname`,
  },
  {
    name: "info without network access to the catalog",
    args: () => ["info", "demo-hello", "--catalog", "http://127.0.0.1:9"],
    flags: () => [],
    missing: () => "--allow-net=127.0.0.1:9",
  },
  {
    name: "search without read access to the catalog directory",
    args: () => ["search", "--catalog", DEMO],
    flags: () => [],
    missing: () => `--allow-read=${DEMO}`,
  },
  {
    name: "plan without read access to the catalog directory",
    args: (
      t,
    ) => [
      "plan",
      "demo-hello",
      "--catalog",
      DEMO,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/c`,
      ...ARCH,
    ],
    flags: () => [],
    missing: () => `--allow-read=${DEMO}`,
  },
  {
    name: "fetch without write access to the cache",
    args: (t) => ["fetch", "demo-hello", "--catalog", DEMO, "--cache-dir", `${t}/cache`, ...ARCH],
    flags: (t) => [`--allow-read=${t},${DEMO}`],
    missing: (t) => `--allow-write=${t}/cache`,
  },
  {
    name: "srcinfo without read access to the recipe",
    args: () => ["srcinfo", `${DEMO}/workers/demo-hello`],
    flags: () => [],
    missing: () => `--allow-read=${DEMO}/workers/demo-hello`,
  },
  {
    name: "srcinfo --trusted without --allow-run for bash, bwrap, setsid, ps and kill",
    args: () => ["srcinfo", "--trusted", `${DEMO}/workers/demo-hello/PKGBUILD`],
    flags: () => [`--allow-read=${DEMO}`],
    missing: () => "--allow-run=bash,bwrap,kill,ps,setsid",
  },
  {
    name: "lint without read access to the recipe",
    args: () => ["lint", `${DEMO}/workers/demo-build/PKGBUILD`],
    flags: () => [],
    missing: () => `--allow-read=${DEMO}/workers/demo-build`,
  },
  {
    name: "cache clean without write access",
    args: (t) => ["cache", "clean", "--cache-dir", `${t}/cache`],
    flags: (t) => [`--allow-read=${t}`],
    missing: (t) => `--allow-write=${t}/cache`,
  },
  {
    name: "catalog serve without network access",
    args: () => ["catalog", "serve", "--dir", DEMO, "--port", "0"],
    flags: () => [`--allow-read=${DEMO}`],
    missing: () => "--allow-net=127.0.0.1",
  },
];

for (const c of CASES) {
  Deno.test(`${c.name} exits 8 with one line naming the flag and writes nothing`, async () => {
    const t = await Deno.makeTempDir();
    try {
      const before = await treeOf(t);
      const args = c.args(t);
      const flags = c.flags(t);
      const run = await runCli(args, {
        flags: [...flags, ...sourceGrant(args, flags), "--no-prompt"],
      });
      assertEquals(run.code, 8, run.stderr);
      assertEquals(run.stderr, `error: Missing Deno permission: run again with ${c.missing(t)}\n`);
      assertEquals(run.stdout, "");
      assertEquals(await treeOf(t), before);
    } finally {
      await Deno.remove(t, { recursive: true });
    }
  });
}

Deno.test("--json reports a missing permission as the final result object", async () => {
  const run = await runCli(["search", "--catalog", DEMO, "--json"], { flags: ["--no-prompt"] });
  assertEquals(run.code, 8);
  const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.at(-1), {
    type: "result",
    v: 1,
    ok: false,
    command: "search",
    error: {
      code: "PERMISSION_MISSING",
      message: `Missing Deno permission: run again with --allow-read=${DEMO}`,
      exitCode: 8,
    },
  });
});

Deno.test("a command loaded on use without read access to src/ names it first", async () => {
  const t = await Deno.makeTempDir();
  try {
    const before = await treeOf(t);
    const run = await runCli(["uninstall", "demo-hello", "--root", `${t}/root`], {
      flags: [`--allow-read=${t}`, "--allow-sys=hostname", "--no-prompt"],
    });
    assertEquals(run.code, 8, run.stderr);
    assertEquals(
      run.stderr,
      `error: Missing Deno permission: run again with --allow-read=${SRC}\n`,
    );
    assertEquals(await treeOf(t), before);
    const srcinfo = await runCli(["srcinfo", `${DEMO}/workers/demo-hello`], {
      flags: ["--no-prompt"],
    });
    assertEquals(srcinfo.code, 8, srcinfo.stderr);
    assertEquals(
      srcinfo.stderr,
      `error: Missing Deno permission: run again with --allow-read=${SRC}\n`,
    );
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("search --compatible names read access to src/ with the catalog's, in one line", async () => {
  const run = await runCli(["search", "--compatible", "--catalog", DEMO], {
    flags: ["--no-prompt"],
  });
  assertEquals(run.code, 8, run.stderr);
  assertEquals(
    run.stderr,
    `error: Missing Deno permission: run again with --allow-read=${DEMO},${SRC}\n`,
  );
});

Deno.test("a start-up command needs no read access to src/", async () => {
  const run = await runCli(["info", "demo-hello", "--catalog", DEMO], {
    flags: [`--allow-read=${DEMO}`, "--no-prompt"],
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout.startsWith("demo-hello\n"), true, run.stdout);
});
