import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { systemStateDir } from "../../src/provision/paths.ts";
import { writeUpWorker } from "./_catalog.ts";
import { outsideState, snapshot } from "./_helpers.ts";
import { withWorld } from "./_world.ts";

const STATE = "var/lib/worker-provisioner";

async function runExecutable(path: string): Promise<string> {
  const out = await new Deno.Command(path, { stdout: "piped" }).output();
  assert(out.success, `${path} failed`);
  return new TextDecoder().decode(out.stdout).trim();
}

for (const arch of ["x86_64", "aarch64"]) {
  Deno.test(`provision() installs the binary-only worker's ${arch} tarball, which runs, lists, verifies and uninstalls to an empty root`, async () => {
    await withWorld(async (w) => {
      const p = w.provisioner({ arch });
      assert(await p.supports("bin-worker"));
      const events: { type: string; step?: string; state?: string; jobId: string; v: number }[] =
        [];
      const worker = await p.provision("bin-worker", {
        jobId: "job-1",
        onEvent: (e) => events.push(e as never),
      });
      const exe = join(w.root, "usr/local/bin/bin-worker");
      assertEquals([worker.id, worker.version, worker.arch, worker.alreadyInstalled], [
        "bin-worker",
        "1.2.0-1",
        arch,
        false,
      ]);
      assertEquals(worker.executables, [exe]);
      assertEquals(worker.sha256[exe].length, 64);
      assertEquals(worker.workerType, "cpu");
      assertEquals(await runExecutable(exe), `bin-worker ${arch}`);
      assertEquals((await p.list()).map((x) => [x.id, x.version, x.arch]), [[
        "bin-worker",
        "1.2.0-1",
        arch,
      ]]);
      assertEquals((await p.verify("bin-worker")).ok, true);
      assert(events.every((e) => e.jobId === "job-1" && e.v === 1));
      const steps = events.filter((e) => e.type === "provision.step" && e.state === "done").map((
        e,
      ) => e.step);
      assertEquals(steps, [
        "resolve",
        "plan",
        "lock",
        "fetch",
        "extract",
        "run",
        "stage",
        "install",
        "record",
      ]);
      assert(events.some((e) => e.type === "source.verified"));
      assertEquals(events.at(-1)?.type, "provision.done");
      const removed = await p.remove("bin-worker");
      assertEquals(removed.kept, []);
      assertEquals(outsideState(await snapshot(w.root, systemStateDir(w.root)), STATE), []);
      assertEquals(await p.list(), []);
      // No build directory is left, nor its empty base.
      assertEquals(
        await Deno.stat(join(w.cacheDir, "build")).then(() => "left", () => "gone"),
        "gone",
      );
    });
  });
}

Deno.test("provision() builds a worker from a local git repository with cc in build()", async () => {
  await withWorld(async (w) => {
    const worker = await w.provisioner().provision("src-worker");
    assertEquals(worker.version, "1.0-1");
    assertEquals(
      await runExecutable(join(w.root, "usr/local/bin/src-worker")),
      "src-worker built from git",
    );
  });
});

Deno.test("provision() leaves a noextract source whole for package() to unpack", async () => {
  await withWorld(async (w) => {
    const worker = await w.provisioner().provision("noextract-worker");
    assertEquals(worker.version, "1:0.3-2");
    assertEquals(
      await runExecutable(join(w.root, "usr/local/bin/noextract-worker")),
      "noextract-worker unpacked by package",
    );
    assertEquals(
      await Deno.readTextFile(join(w.root, "opt/noextract-worker/share/model.txt")),
      "weights\n",
    );
    assertEquals(worker.executables, [join(w.root, "opt/noextract-worker/bin/noextract-worker")]);
  });
});

Deno.test("provision() installs every package of a split recipe under the catalog id", async () => {
  await withWorld(async (w) => {
    const worker = await w.provisioner().provision("split-worker");
    assertEquals(worker.packages, ["split-worker-cli", "split-worker-data"]);
    assertEquals(
      await runExecutable(join(w.root, "usr/local/bin/split-worker")),
      "split-worker-cli",
    );
    assertEquals(
      await Deno.readTextFile(join(w.root, "usr/local/share/split-worker/data.bin")),
      "data\n",
    );
  });
});

Deno.test("provision() upgrades a worker and removes the file the old version shipped", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    await p.provision("up-worker");
    assertEquals(
      await Deno.readTextFile(join(w.root, "usr/local/share/up-worker/old.txt")),
      "old\n",
    );
    await writeUpWorker(w.catalogDir, 2);
    const worker = await p.provision("up-worker");
    assertEquals([worker.version, worker.alreadyInstalled], ["2.0-1", false]);
    assertEquals(await runExecutable(join(w.root, "usr/local/bin/up-worker")), "up-worker 2");
    assertEquals(
      await Deno.stat(join(w.root, "usr/local/share/up-worker/old.txt")).catch(() => null),
      null,
    );
    assertEquals((await p.verify("up-worker")).ok, true);
  });
});

Deno.test("provision() of the installed version changes nothing; reinstall replaces it with the same tree", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    const first = await p.provision("bin-worker");
    const before = await snapshot(w.root, systemStateDir(w.root));
    const events: { type: string; step?: string; state?: string }[] = [];
    const again = await p.provision("bin-worker", { onEvent: (e) => events.push(e as never) });
    assertEquals([again.alreadyInstalled, again.installedAt], [true, first.installedAt]);
    assertEquals(
      events.filter((e) => e.state === "skipped").map((e) => e.step),
      ["lock", "fetch", "extract", "run", "stage", "install", "record"],
    );
    assertEquals(await snapshot(w.root, systemStateDir(w.root)), before);
    const re = await p.provision("bin-worker", { reinstall: true });
    assertEquals(re.alreadyInstalled, false);
    assert(re.installedAt >= first.installedAt);
    assertEquals(re.sha256, first.sha256);
    assertEquals(
      outsideState(await snapshot(w.root, systemStateDir(w.root)), STATE),
      outsideState(before, STATE),
    );
  });
});

Deno.test("provision() of a modified installation reinstalls it to match the recipe", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner();
    await p.provision("bin-worker");
    await Deno.writeTextFile(join(w.root, "usr/local/bin/bin-worker"), "tampered");
    assertEquals((await p.verify("bin-worker")).problems.map((x) => x.kind), ["modified"]);
    const worker = await p.provision("bin-worker");
    assertEquals(worker.alreadyInstalled, false);
    assertEquals((await p.verify("bin-worker")).ok, true);
  });
});

Deno.test("plan() lists the sources with hosts and checksums, the functions and programs, and fetches nothing", async () => {
  await withWorld(async (w) => {
    const plan = await w.provisioner({ arch: "aarch64" }).plan("bin-worker");
    const host = new URL(w.server.url).host;
    assertEquals(plan.sources.map((s) => [s.name, s.protocol, s.host]), [
      ["bin-worker-aarch64.tar.gz", "http", host],
    ]);
    assertEquals(plan.sources[0].checksums.sha256?.length, 64);
    assertEquals(plan.hosts, [host]);
    assertEquals(plan.functions, ["package"]);
    // gzip and strip: makepkg's zipman and strip tidy steps, on in Debian's makepkg.conf.
    assertEquals(plan.programs, ["bash", "bwrap", "gzip", "kill", "ps", "setsid", "strip"]);
    assertEquals((await w.provisioner({ sandbox: "off" }).plan("bin-worker")).programs, [
      "bash",
      "gzip",
      "kill",
      "ps",
      "setsid",
      "strip",
    ]);
    assertEquals(plan.install, ["bin-worker"]);
    assertEquals(plan.paths, {
      install: w.root,
      state: join(w.root, "var/lib/worker-provisioner"),
      cache: w.cacheDir,
      build: join(w.cacheDir, "build"),
    });
    assertEquals(await Deno.stat(w.cacheDir).then(() => true, () => false), false);
    const src = await w.provisioner().plan("src-worker");
    assertEquals(src.functions, ["build", "check", "package"]);
    assert(src.programs.includes("git"));
  });
});

Deno.test("provision() accepts a recipe directory and a PKGBUILD path, and uses a user prefix for ~/.local/bin", async () => {
  await withWorld(async (w) => {
    const home = join(w.dir, "home");
    const p = w.provisioner({
      root: "/",
      userPrefix: join(home, ".local"),
      stateDir: join(home, ".local/state/worker-provisioner"),
    });
    const worker = await p.provision(join(w.catalogDir, "workers/split-worker"));
    assertEquals(worker.id, "split-worker");
    assertEquals(await runExecutable(join(home, ".local/bin/split-worker")), "split-worker-cli");
    await p.remove("split-worker");
    const up = await p.provision(join(w.catalogDir, "workers/up-worker/PKGBUILD"));
    assertEquals(up.executables, [join(home, ".local/bin/up-worker")]);
  });
});

Deno.test("provision() refuses an architecture the worker does not support, listing the supported ones", async () => {
  await withWorld(async (w) => {
    const error = await assertRejects(() =>
      w.provisioner({ arch: "riscv64" }).provision("bin-worker")
    );
    assertStringIncludes(
      String(error),
      "does not support architecture riscv64; the catalog lists x86_64, aarch64",
    );
    assertEquals((error as unknown as { exitCode: number }).exitCode, 4);
    assertEquals(await w.provisioner({ arch: "riscv64" }).supports("bin-worker"), false);
    assertEquals(outsideState(await snapshot(w.root), STATE), []);
  });
});

Deno.test("provision() from a catalog directory without a server fetches its hosted files through file:// URLs", async () => {
  await withWorld(async (w) => {
    const p = w.provisioner({ catalog: w.catalogDir, arch: "x86_64" });
    const plan = await p.plan("bin-worker");
    assertEquals(plan.hosts, []);
    assertEquals(plan.sources[0].url, `file://${w.catalogDir}/files/bin-worker-x86_64.tar.gz`);
    const worker = await p.provision("bin-worker");
    assertEquals(await runExecutable(worker.executables[0]), "bin-worker x86_64");
  });
});

Deno.test("provision() without write permission on the root stops with PERMISSION_DENIED and writes nothing", async () => {
  await withWorld(async (w) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-net=127.0.0.1",
        "--allow-run",
        "--allow-sys",
        `--allow-write=${w.cacheDir}`,
        new URL("./_crash_child.ts", import.meta.url).pathname,
        "provision",
        JSON.stringify({
          catalog: w.server.url,
          root: w.root,
          cacheDir: w.cacheDir,
          id: "bin-worker",
        }),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const error = JSON.parse(text.match(/^ERROR (.*)$/m)?.[1] ?? "{}");
    assertEquals(error.code, "PERMISSION_DENIED", text + new TextDecoder().decode(out.stderr));
    assertStringIncludes(error.message, w.root);
    assertEquals(await snapshot(w.root), []);
  });
});

Deno.test("provision() keeps the build directory only when asked to", async () => {
  await withWorld(async (w) => {
    await w.provisioner({ keepBuildDir: true }).provision("src-worker");
    const kept: string[] = [];
    for await (const e of Deno.readDir(join(w.cacheDir, "build"))) kept.push(e.name);
    assertEquals(kept.length, 1);
    assert(kept[0].startsWith("src-worker~"));
    const tree = await snapshot(join(w.cacheDir, "build", kept[0]));
    assert(tree.some((l) => l.startsWith("src/src-worker/hello file 755")), tree.join("\n"));
    assert(tree.some((l) => l.startsWith("build.log file")), tree.join("\n"));
  });
});

Deno.test("fetch() resolves, plans, fetches and verifies into the cache, and builds and installs nothing", async () => {
  await withWorld(async (w) => {
    const events: { type: string; step?: string; state?: string; jobId: string }[] = [];
    const planned: string[] = [];
    const result = await w.provisioner({ arch: "aarch64" }).fetch("bin-worker", {
      jobId: "job-f",
      onEvent: (e) => events.push(e as never),
      onPlan: (plan) => {
        planned.push(plan.id);
      },
    });
    assertEquals(planned, ["bin-worker"]);
    assertEquals([result.plan.id, result.plan.arch], ["bin-worker", "aarch64"]);
    assertEquals(result.sources.map((s) => s.name), ["bin-worker-aarch64.tar.gz"]);
    const steps = events.filter((e) => e.type === "provision.step" && e.state === "done")
      .map((e) => e.step);
    assertEquals(steps, ["resolve", "plan", "fetch"]);
    assert(events.every((e) => e.jobId === "job-f"));
    assertEquals(events.at(-1), {
      ...events.at(-1)!,
      type: "provision.fetched",
      id: "bin-worker",
      version: "1.2.0-1",
      arch: "aarch64",
      sources: 1,
    });
    assertEquals(await snapshot(w.root), [], "nothing in the root, not even state");
    const cached: string[] = [];
    for await (const e of Deno.readDir(w.cacheDir)) cached.push(e.name);
    assert(!cached.includes("build"), cached.join(" "));
  });
});

Deno.test("fetch() stops when onPlan throws and when a checksum does not match, reporting provision.failed", async () => {
  await withWorld(async (w) => {
    const events: { type: string; step?: string; code?: string }[] = [];
    await assertRejects(
      () =>
        w.provisioner().fetch("bin-worker", {
          onPlan: () => {
            throw new Error("no permission for that host");
          },
        }),
      Error,
      "no permission for that host",
    );
    assertEquals(await Deno.stat(w.cacheDir).then(() => true, () => false), false);
    const error = await assertRejects(() =>
      w.provisioner().fetch("bad-sum-worker", { onEvent: (e) => events.push(e as never) })
    );
    assertEquals((error as { code?: string }).code, "CHECKSUM_MISMATCH");
    assertEquals(events.at(-1)?.type, "provision.failed");
    assertEquals(events.at(-1)?.step, "fetch");
    assertEquals(await snapshot(w.root), []);
  });
});

Deno.test("provision() calls onPlan once before the lock, and a throw there leaves no trace", async () => {
  await withWorld(async (w) => {
    const planned: string[] = [];
    await assertRejects(
      () =>
        w.provisioner().provision("bin-worker", {
          onPlan: (plan) => {
            planned.push(`${plan.id} ${plan.version}`);
            throw new Error("no permission for that host");
          },
        }),
      Error,
      "no permission for that host",
    );
    assertEquals(planned.length, 1);
    assertEquals(await Deno.stat(w.cacheDir).then(() => true, () => false), false);
    assertEquals(await snapshot(w.root), []);
    const worker = await w.provisioner().provision("bin-worker", {
      onPlan: (plan) => void planned.push(`${plan.id} ${plan.version}`),
    });
    assertEquals(planned, [planned[0], planned[0]]);
    assertEquals(`${worker.id} ${worker.version}`, planned[0]);
    // The build directory and its empty base are gone; only the source cache stays.
    assertEquals(
      await Deno.stat(join(w.cacheDir, "build")).then(() => "left", () => "gone"),
      "gone",
    );
  });
});

Deno.test("remove() of both demo workers, which share usr/local/bin, leaves only the state directory in the root", async () => {
  await withWorld(async (w) => {
    const demo = fromFileUrl(new URL("../../fixtures/demo", import.meta.url));
    const p = w.provisioner({ catalog: demo });
    await p.provision("demo-hello");
    await p.provision("demo-build");
    await p.remove("demo-hello");
    assert((await Deno.lstat(join(w.root, "usr/local/bin/demo-build"))).isFile);
    await p.remove("demo-build");
    const left = (await snapshot(w.root)).map((l) => l.split(" ")[0]);
    assertEquals(left, ["var", "var/lib", STATE]);
  });
});
