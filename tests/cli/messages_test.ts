/**
 * Refusals name the cause and the fix that fits it: "did you mean" for
 * commands, options and worker ids, conflicting options, a scheme-less
 * catalog URL, `catalog serve` on a non-catalog or a busy port, and every
 * missing permission in one line.
 */
import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { REPO, runCli } from "./_cli.ts";
import { serveWithCli } from "./_serve.ts";

const DEMO = join(REPO, "fixtures/demo");

Deno.test("a mistyped worker id gets the closest catalog id as a hint", async () => {
  const run = await runCli(["info", "demo-helo", "--catalog", DEMO]);
  assertEquals(run.code, 3);
  assertEquals(
    run.stderr,
    `error: Worker demo-helo was not found in catalog ${DEMO}; did you mean demo-hello? ` +
      "(list the available workers with `search`)\n",
  );
});

Deno.test("an option of another command names the commands that take it", async () => {
  const run = await runCli(["list", "--catalog", DEMO]);
  assertEquals(run.code, 2);
  assertStringIncludes(run.stderr, "--catalog is an option of `install`");
  assertStringIncludes(run.stderr, "not of `list`");
});

Deno.test("--quiet with --verbose is refused as a contradiction", async () => {
  const run = await runCli(["list", "--quiet", "--verbose", "--root", "/nonexistent"]);
  assertEquals(run.code, 2);
  assertEquals(
    run.stderr,
    "error: Options --quiet and --verbose cannot be used together; pass one of them; " +
      "see `worker-provisioner list --help`\n",
  );
});

Deno.test("lint and srcinfo take --arch like every other command", async () => {
  const recipe = join(DEMO, "workers/demo-hello");
  const run = await runCli(["srcinfo", recipe, "--arch", "aarch64"]);
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "source_aarch64 = ");
  const lint = await runCli(["lint", recipe, "--arch", "arm64"]);
  assertEquals(lint.code, 0, lint.stderr);
});

Deno.test("a catalog given as host:port without http:// is taken for a URL", async () => {
  const run = await runCli(["search", "--catalog", "127.0.0.1:9"]);
  assertEquals(run.code, 13);
  assertStringIncludes(run.stderr, "Catalog http://127.0.0.1:9 is unreachable");
});

Deno.test("catalog serve refuses a missing directory and one that is not a catalog", async () => {
  const missing = await runCli(["catalog", "serve", "--dir", "/nonexistent", "--port", "0"]);
  assertEquals(missing.code, 3);
  assertStringIncludes(missing.stderr, "error: No directory /nonexistent;");
  const empty = await Deno.makeTempDir();
  try {
    const run = await runCli(["catalog", "serve", "--dir", empty, "--port", "0"]);
    assertEquals(run.code, 3);
    assertStringIncludes(run.stderr, `${empty} is not a catalog directory: it has no workers/`);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("catalog serve names a busy port and how to pick another", async () => {
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  const run = await runCli(["catalog", "serve", "--dir", DEMO, "--port", String(port)]);
  assertEquals(run.code, 2);
  assertEquals(
    run.stderr,
    `error: Port ${port} on 127.0.0.1 is already in use; stop the program using it, ` +
      "or pass another --port (0 picks a free one)\n",
  );
});

Deno.test("a missing environment permission and a missing read are named in one line", async () => {
  const t = await Deno.makeTempDir();
  try {
    const run = await runCli(["list", "--state-dir", join(t, "s")], {
      flags: ["--allow-sys=uid", "--no-prompt"],
    });
    assertEquals(run.code, 8);
    assertEquals(
      run.stderr,
      "error: Missing Deno permission: run again with --allow-read=/ " +
        "--allow-env=WORKER_PROVISIONER_ROOT\n",
    );
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("a failed build() is one line, and its log is kept in the state dir until the next successful install", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${t}/recipe`);
    const recipe = (body: string) =>
      Deno.writeTextFile(
        `${t}/recipe/PKGBUILD`,
        `pkgname=failer\npkgver=1\npkgrel=1\narch=(any)\nbuild() { ${body} }\n` +
          'package() { install -Dm755 /dev/null "$pkgdir/usr/local/bin/failer"; }\n',
      );
    await recipe('echo compiling; echo "fatal: no compiler" >&2; echo; return 3;');
    const where = ["--root", `${t}/root`];
    const failed = await runCli(["install", `${t}/recipe`, ...where, "--quiet"]);
    assertEquals(failed.code, 7);
    const log = `${t}/root/var/lib/worker-provisioner/logs/failer/build.log`;
    assertEquals(
      failed.stderr,
      `error: build() failed with exit code 3: fatal: no compiler; the whole log is in ${log}; ` +
        "fix the recipe's build()\n",
    );
    assertStringIncludes(await Deno.readTextFile(log), "compiling\n");
    await recipe("true;");
    const ok = await runCli(["install", `${t}/recipe`, ...where, "--quiet"]);
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(await Deno.stat(log).catch(() => null), null);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("plan and install refuse what makepkg's lint refuses, as lint and srcinfo do", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${t}/recipe`);
    await Deno.writeTextFile(
      `${t}/recipe/PKGBUILD`,
      "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\ninstall=x.install\npackage() { :; }\n",
    );
    const line = `error: ${t}/recipe/PKGBUILD: install file (x.install) does not exist or is not ` +
      "a regular file; run `worker-provisioner lint` for every finding\n";
    for (const command of ["plan", "install", "srcinfo"]) {
      const run = await runCli([command, `${t}/recipe`, "--root", `${t}/root`].slice(
        0,
        command === "srcinfo" ? 2 : 4,
      ));
      assertEquals([command, run.code, run.stderr], [command, 10, line]);
    }
    const lint = await runCli(["lint", `${t}/recipe`]);
    assertEquals(lint.code, 10);
    assertEquals(
      lint.stdout,
      "error: install file (x.install) does not exist or is not a regular file [install]\n",
    );
    assertEquals(await Deno.stat(`${t}/root`).catch(() => null), null, "install wrote nothing");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("lint reports a missing CARCH once, as an error, where makepkg refuses to build", async () => {
  const t = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${t}/PKGBUILD`,
      "pkgname=x\npkgver=1\npkgrel=1\narch=(aarch64)\npackage() { :; }\n",
    );
    const lint = await runCli(["lint", t, "--arch", "x86_64"]);
    assertEquals([lint.code, lint.stdout], [
      10,
      "error: x is not available for the 'x86_64' architecture [arch]\n",
    ]);
    const srcinfo = await runCli(["srcinfo", t, "--arch", "x86_64"]);
    assertEquals(srcinfo.code, 0, "--printsrcinfo ignores the architecture");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("srcinfo and lint take a catalog worker id with --catalog, a directory or a URL", async () => {
  const local = await runCli(["srcinfo", "demo-hello", "--catalog", DEMO]);
  assertEquals(local.code, 0, local.stderr);
  // As the catalog serves it: {{CATALOG_URL}} is the catalog's (here a file:// URL).
  assertStringIncludes(local.stdout, `source_x86_64 = file://${DEMO}/files/demo-hello-1.0.0-`);
  await using served = await serveWithCli(DEMO);
  const remote = await runCli(["srcinfo", "demo-hello", "--catalog", served.url]);
  assertEquals(remote.code, 0, remote.stderr);
  assertStringIncludes(remote.stdout, "pkgbase = demo-hello\n");
  const lint = await runCli(["lint", "demo-build", "--catalog", served.url]);
  assertEquals(lint.code, 0, lint.stderr);
  const typo = await runCli(["lint", "demo-buld", "--catalog", DEMO]);
  assertEquals(typo.code, 3);
  assertStringIncludes(typo.stderr, "did you mean demo-build?");
});
