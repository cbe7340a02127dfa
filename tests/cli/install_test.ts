/**
 * The main job through the CLI, under the compiled binary's flags: install,
 * list, verify, uninstall, plan, fetch, and Ctrl-C during a download and
 * during a build (exit 130, nothing left behind).
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { CONTROL_CODES, REPO, runCli } from "./_cli.ts";
import { serveWithCli } from "./_serve.ts";

const DEMO = join(REPO, "fixtures/demo");
const ARCH = Deno.build.arch;

function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split("\n");
  assertEquals(lines.pop(), "", "output ends with a newline");
  return lines.map((l) => JSON.parse(l));
}

/** Every non-directory path under `dir` (what an interrupted run must not leave). */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name));
      else found.push(join(d, e.name));
    }
  };
  await walk(dir).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return found.sort();
}

Deno.test("install --json, list, verify and uninstall a binary-only worker from a catalog directory", async () => {
  const t = await Deno.makeTempDir();
  try {
    const where = ["--catalog", DEMO, "--root", `${t}/root`, "--cache-dir", `${t}/cache`];
    const install = await runCli(["install", "demo-hello", ...where, "--json"]);
    assertEquals(install.code, 0, install.stderr);
    const events = jsonLines(install.stdout);
    const result = events.at(-1)!;
    assertEquals(result.type, "result");
    assertEquals(result.ok, true);
    for (const e of events.slice(0, -1)) {
      assertEquals(typeof e.jobId, "string");
      assertEquals(e.v, 1);
    }
    const types = events.map((e) => e.type);
    for (
      const t of ["provision.step", "source.start", "source.done", "run.phase", "provision.done"]
    ) {
      assert(types.includes(t), `${t} in ${types.join(" ")}`);
    }
    const worker = result.result as { id: string; executables: string[] };
    assertEquals(worker.id, "demo-hello");
    assertEquals(worker.executables, [`${t}/root/usr/local/bin/demo-hello`]);
    const ran = await new Deno.Command(worker.executables[0], { stdout: "piped" }).output();
    assertEquals(
      new TextDecoder().decode(ran.stdout),
      `hello from demo-hello 1.0.0, a binary-only worker built for ${ARCH}\n`,
    );

    const list = await runCli(["list", "--root", `${t}/root`, "--json"]);
    const listed = jsonLines(list.stdout).at(-1)!.result as Record<string, unknown>[];
    assertEquals(listed.map((w) => [w.id, w.version, w.arch, w.executables]), [
      ["demo-hello", "1.0.0-1", ARCH, worker.executables],
    ]);
    const listText = await runCli(["list", "--root", `${t}/root`]);
    assertMatch(listText.stdout, /^demo-hello\s+1\.0\.0-1\s+(x86_64|aarch64)\s/);

    const verify = await runCli(["verify", "demo-hello", "--root", `${t}/root`]);
    assertEquals(verify.code, 0, verify.stderr);
    await Deno.writeTextFile(worker.executables[0], "#!/bin/sh\necho tampered\n");
    const tampered = await runCli(["verify", "demo-hello", "--root", `${t}/root`]);
    assertEquals(tampered.code, 14);
    assertStringIncludes(tampered.stdout, `modified: ${worker.executables[0]}`);

    const uninstall = await runCli(["uninstall", "demo-hello", "--root", `${t}/root`, "--force"]);
    assertEquals(uninstall.code, 0, uninstall.stderr);
    assertEquals(await filesUnder(`${t}/root`), []);
    const again = await runCli(["uninstall", "demo-hello", "--root", `${t}/root`]);
    assertEquals(again.code, 3);
    assertEquals(again.stderr.trimEnd().split("\n").length, 1);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

const LOCAL_RECIPE = `pkgname=local-tool
pkgver=2.0
pkgrel=3
arch=(x86_64 aarch64)
source=("tool.sh.in")
sha256sums=('SUM')
build() {
  printf '\\033[1mcompiling\\033[0m tool\\r\\n'
  sed "s/@V@/$pkgver/" tool.sh.in > tool
}
check() { sh ./tool; }
package() { install -Dm755 tool "$pkgdir/usr/local/bin/local-tool"; }
`;

/** Writes a recipe directory with a local source next to its PKGBUILD. */
async function writeLocalRecipe(dir: string): Promise<void> {
  const source = "#!/bin/sh\necho local-tool @V@\n";
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(source));
  const sum = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "tool.sh.in"), source);
  await Deno.writeTextFile(join(dir, "PKGBUILD"), LOCAL_RECIPE.replace("SUM", sum));
}

Deno.test("install of a local recipe with a local source prints plain lines without control codes", async () => {
  const t = await Deno.makeTempDir();
  try {
    await writeLocalRecipe(`${t}/recipe`);
    const run = await runCli([
      "install",
      `${t}/recipe`,
      "--root",
      `${t}/root`,
      "--cache-dir",
      `${t}/cache`,
    ]);
    assertEquals(run.code, 0, run.stderr);
    assert(!CONTROL_CODES.test(run.stdout + run.stderr), JSON.stringify(run.stderr));
    const lines = run.stderr.split("\n");
    for (
      const expected of [
        "running build()",
        "  | compiling tool",
        "running check()",
        "  | local-tool 2.0",
      ]
    ) {
      assert(lines.includes(expected), `${expected} in:\n${run.stderr}`);
    }
    assertEquals(
      run.stdout,
      `installed local-tool 2.0-3 (${ARCH}, 30 B)\n  ${t}/root/usr/local/bin/local-tool\n`,
    );
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("plan lists the environment variables the recipe's top level reads", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(t, "PKGBUILD"),
      "pkgname=env-reader\npkgver=1\npkgrel=1\narch=(any)\nlicense=(MIT)\n" +
        '_jobs="--jobs $(nproc)"\n_cache=${CARGO_HOME:-$HOME/.cargo}/registry\n' +
        '_home="$HOME"\npackage() { :; }\n',
    );
    const plan = await runCli(["plan", t, "--root", "/r", "--cache-dir", "/c"]);
    assertEquals(plan.code, 0, plan.stderr);
    assertStringIncludes(plan.stdout, "  reads   CARGO_HOME HOME\n");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("plan prints sources and functions; plan --permissions prints the deno run flags", async () => {
  const plan = await runCli([
    "plan",
    "demo-build",
    "--catalog",
    DEMO,
    "--root",
    "/r",
    "--cache-dir",
    "/c",
    "--arch",
    "aarch64",
  ]);
  assertEquals(plan.code, 0, plan.stderr);
  assertStringIncludes(plan.stdout, "demo-build 1.0.0-1 for linux/aarch64");
  assertStringIncludes(plan.stdout, "  runs    build check package\n");
  await using served = await serveWithCli(DEMO);
  const perms = await runCli([
    "plan",
    "demo-hello",
    "--catalog",
    served.url,
    "--root",
    "/r",
    "--cache-dir",
    "/c",
    "--arch",
    "x86_64",
    "--permissions",
  ]);
  assertEquals(perms.code, 0, perms.stderr);
  const host = new URL(served.url).host;
  assertStringIncludes(
    perms.stdout,
    `deno run --allow-read --allow-write --allow-net=${host} --allow-run=bash,bwrap,gzip,kill,ps,setsid,strip ` +
      `--allow-sys=hostname jsr:@rbee/worker-provisioner/cli install demo-hello --catalog ${served.url} ` +
      "--root /r --cache-dir /c --state-dir /r/var/lib/worker-provisioner --arch x86_64\n",
  );
});

Deno.test("fetch downloads and verifies into the content-keyed cache only", async () => {
  const t = await Deno.makeTempDir();
  try {
    const run = await runCli([
      "fetch",
      "demo-hello",
      "--catalog",
      DEMO,
      "--cache-dir",
      `${t}/cache`,
      "--arch",
      "aarch64",
    ]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(
      run.stdout,
      "fetched and verified 1 source(s) of demo-hello 1.0.0-1 (aarch64)",
    );
    const sum = (await Deno.readTextFile(join(DEMO, "workers/demo-hello/PKGBUILD")))
      .match(/sha256sums_aarch64=\('([0-9a-f]+)'\)/)![1];
    // Nothing but the verified file and its recorded digests: no `.part`, no `.lock`.
    assertEquals(await filesUnder(`${t}/cache`), [
      `${t}/cache/content/sha256/${sum}`,
      `${t}/cache/content/sha256/${sum}.verified`,
    ]);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("fetch, list, verify and uninstall succeed under exactly their documented path-scoped flags", async () => {
  // fetch and uninstall are loaded on use (src/cli/_load.ts): from files they also read src/.
  const src = `--allow-read=${REPO}src`;
  const t = await Deno.makeTempDir();
  try {
    const fetched = await runCli(
      ["fetch", "demo-hello", "--catalog", DEMO, "--cache-dir", `${t}/cache`, "--arch", ARCH],
      {
        flags: [`--allow-read=${DEMO},${t}/cache`, src, `--allow-write=${t}/cache`, "--no-prompt"],
      },
    );
    assertEquals(fetched.code, 0, fetched.stderr);
    const where = ["--catalog", DEMO, "--root", `${t}/root`, "--cache-dir", `${t}/cache`];
    assertEquals((await runCli(["install", "demo-hello", ...where, "-q"])).code, 0);
    const root = `${t}/root`;
    const state = `${root}/var/lib/worker-provisioner`;
    const list = await runCli(["list", "--root", root], {
      flags: [`--allow-read=${root}`, "--no-prompt"],
    });
    assertMatch(list.stdout, /^demo-hello /);
    const verify = await runCli(["verify", "demo-hello", "--root", root], {
      flags: [
        `--allow-read=${root}`,
        `--allow-write=${state}`,
        "--allow-sys=hostname",
        "--no-prompt",
      ],
    });
    assertEquals(verify.code, 0, verify.stderr);
    const uninstall = await runCli(["uninstall", "demo-hello", "--root", root], {
      flags: [
        `--allow-read=${root}`,
        src,
        `--allow-write=${root}`,
        "--allow-sys=hostname",
        "--no-prompt",
      ],
    });
    assertEquals(uninstall.code, 0, uninstall.stderr);
    assertEquals(await filesUnder(root), []);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

/** A recipe with a git source, a zstd tarball and a plain file, all local. */
async function writeGitRecipe(dir: string): Promise<void> {
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args: ["-c", "user.name=t", "-c", "user.email=t@t", ...args],
      cwd: `${dir}/repo`,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
  };
  await Deno.mkdir(`${dir}/repo`, { recursive: true });
  await Deno.writeTextFile(`${dir}/repo/tool.sh`, "#!/bin/sh\necho git-tool from git\n");
  await git("init", "-q", "-b", "main");
  await git("add", ".");
  await git("commit", "-qm", "v1");
  await git("tag", "v1");
  await Deno.mkdir(`${dir}/recipe/.data/data`, { recursive: true });
  await Deno.writeTextFile(`${dir}/recipe/.data/data/value.txt`, "from zstd\n");
  const tar = await new Deno.Command("tar", {
    args: ["--zstd", "-cf", `${dir}/recipe/data.tar.zst`, "-C", `${dir}/recipe/.data`, "data"],
  }).output();
  assert(tar.success);
  await Deno.remove(`${dir}/recipe/.data`, { recursive: true });
  await Deno.writeTextFile(`${dir}/recipe/notes.txt`, "plain notes\n");
  const sum = async (name: string) => {
    const bytes = await Deno.readFile(`${dir}/recipe/${name}`);
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  await Deno.writeTextFile(
    `${dir}/recipe/PKGBUILD`,
    `pkgname=git-tool
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
source=("git+file://${dir}/repo#tag=v1" "data.tar.zst" "notes.txt")
sha256sums=('SKIP' '${await sum("data.tar.zst")}' '${await sum("notes.txt")}')
package() {
  install -Dm755 repo/tool.sh "$pkgdir/usr/local/bin/git-tool"
  install -Dm644 data/value.txt "$pkgdir/usr/local/share/git-tool/value.txt"
  install -Dm644 notes.txt "$pkgdir/usr/local/share/git-tool/notes.txt"
}
`,
  );
}

Deno.test("a git-source worker with a zstd tarball and a plain file installs under exactly the flags plan --permissions prints, which need no unpacking program", async () => {
  const t = await Deno.makeTempDir();
  try {
    await writeGitRecipe(t);
    const root = `${t}/root`;
    const where = ["--root", root, "--cache-dir", `${t}/cache`];
    const plan = await runCli(["plan", `${t}/recipe`, ...where, "--permissions", "--json"]);
    assertEquals(plan.code, 0, plan.stderr);
    const { flags, args } = jsonLines(plan.stdout).at(-1)!.result as {
      flags: string[];
      args: string[];
    };
    assert(
      flags.includes("--allow-run=bash,bwrap,git,gzip,kill,ps,setsid,strip"),
      flags.join(" "),
    );
    assertEquals(args.slice(0, 2), ["install", `${t}/recipe`]);
    const install = await runCli(args, { flags: [...flags, "--no-prompt"] });
    assertEquals(install.code, 0, install.stderr);
    const exe = `${root}/usr/local/bin/git-tool`;
    const ran = await new Deno.Command(exe, { stdout: "piped" }).output();
    assertEquals(new TextDecoder().decode(ran.stdout), "git-tool from git\n");
    assertEquals(
      await Deno.readTextFile(`${root}/usr/local/share/git-tool/value.txt`),
      "from zstd\n",
    );
    const uninstall = await runCli(["uninstall", "git-tool", "--root", root]);
    assertEquals(uninstall.code, 0, uninstall.stderr);
    const left: string[] = [];
    for await (const e of Deno.readDir(root)) left.push(e.name);
    assertEquals(left, ["var"], "only the state directory is left");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("install --trusted sources a recipe the static evaluator refuses; plan --trusted --permissions says so", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${t}/recipe`);
    await Deno.writeTextFile(
      `${t}/recipe/PKGBUILD`,
      'pkgname=shouty\npkgver=1\npkgrel=1\npkgdesc="$(uname -s | tr a-z A-Z)"\narch=(any)\n' +
        'package() { install -Dm755 /dev/null "$pkgdir/usr/local/bin/shouty"; }\n',
    );
    const where = ["--root", `${t}/root`, "--cache-dir", `${t}/cache`];
    const refused = await runCli(["install", `${t}/recipe`, ...where]);
    assertEquals(refused.code, 10, refused.stderr);
    assertEquals(await filesUnder(`${t}/root`), []);
    const plan = await runCli(["plan", `${t}/recipe`, ...where, "--trusted", "--permissions"]);
    assertEquals(plan.code, 0, plan.stderr);
    assertMatch(plan.stdout, / install \/.+\/recipe .*--trusted\n$/);
    const install = await runCli(["install", `${t}/recipe`, ...where, "--trusted", "--json"]);
    assertEquals(install.code, 0, install.stderr);
    const result = jsonLines(install.stdout).at(-1)!.result as { executables: string[] };
    assertEquals(result.executables, [`${t}/root/usr/local/bin/shouty`]);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
