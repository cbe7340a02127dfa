/**
 * A Rust worker in the shape of rbee's recipes (a workspace with the worker
 * crate under `bin/`, features cpu/cuda, `check()` runs `cargo test`) built
 * end to end through the CLI by `cargo build --release` from a local git
 * repository, offline: crates from a local registry made of Debian's
 * `librust-*-dev` crates, cargo found only through a rustup-style
 * `~/.cargo/bin` under a temporary HOME (a wrapper that says so), and the
 * second build reading the crates from the persistent build cache.
 *
 * Needs `apt-get install cargo rustc librust-itoa-dev` (in `.ci/run`).
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { runCli } from "../cli/_cli.ts";
import {
  makeRustupLayout,
  makeWorkerRepo,
  RUSTUP_CARGO_MARKER,
  writeCatalogWorker,
} from "./_cargo_repo.ts";

type Event = Record<string, unknown>;

function events(stdout: string): Event[] {
  return stdout.trim().split("\n").map((l) => JSON.parse(l));
}

function outputLines(all: Event[]): string[] {
  return all.filter((e) => e.type === "run.output").map((e) => String(e.line));
}

Deno.test("a cargo workspace worker builds from rustup's ~/.cargo/bin, offline, and a rebuild unpacks no crate", async () => {
  // Under /var/tmp: the sandbox hides /tmp, and the crate registry must stay visible.
  const t = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "wp-cargo-" });
  try {
    const repo = join(t, "llm-worker-rbee");
    await makeWorkerRepo(repo, join(t, "registry"));
    const catalog = join(t, "catalog");
    const id = await writeCatalogWorker(catalog, repo, { variant: "cpu" });
    const home = join(t, "home");
    const bin = await makeRustupLayout(home);
    const env = {
      HOME: home,
      CARGO_HOME: join(home, ".cargo"),
      RUSTUP_HOME: join(home, ".rustup"),
    };
    const where = [
      "--catalog",
      catalog,
      "--root",
      join(t, "root"),
      "--cache-dir",
      join(t, "cache"),
    ];

    const plan = await runCli(["plan", id, ...where, "--json"], { env });
    assertEquals(plan.code, 0, plan.stderr);
    const planned = events(plan.stdout).at(-1)!.result as {
      environment: { toolchains: { kind: string; bin: string }[]; variables: string[] };
    };
    assertEquals(planned.environment.toolchains, [{ kind: "rustup", bin }]);
    const cargoHome = join(t, "cache/build-cache", id, "cargo");
    assert(planned.environment.variables.includes(`CARGO_HOME=${cargoHome}`));

    const started = performance.now();
    const first = await runCli(["install", id, ...where, "--json"], { env });
    const firstMs = performance.now() - started;
    assertEquals(first.code, 0, first.stderr + first.stdout.slice(-3000));
    const firstOut = outputLines(events(first.stdout));
    assert(
      firstOut.some((l) => l.startsWith(`${RUSTUP_CARGO_MARKER}: ${bin}/cargo`)),
      "cargo came from ~/.cargo/bin",
    );
    assert(firstOut.some((l) => /Unpacking itoa v1\.0\.\d+/.test(l)), firstOut.join("\n"));
    assert(firstOut.some((l) => /test result: ok\. 1 passed/.test(l)), "check() ran cargo test");

    const exe = join(t, "root/usr/local/bin", id);
    const ran = await new Deno.Command(exe, { stdout: "piped" }).output();
    assertEquals(new TextDecoder().decode(ran.stdout), "llm-worker-rbee cpu build 1\n");

    const srcRoot = join(cargoHome, "registry/src");
    const [registryDir] = [...Deno.readDirSync(srcRoot)].map((e) => join(srcRoot, e.name));
    const unpacked = [...Deno.readDirSync(registryDir)].map((e) => e.name);
    assertEquals(unpacked.map((n) => n.replace(/-[\d.]+$/, "")), ["itoa"]);
    const before = Deno.statSync(join(registryDir, unpacked[0]));

    const again = performance.now();
    const second = await runCli(["install", id, ...where, "--json", "--reinstall", "--rebuild"], {
      env,
    });
    const secondMs = performance.now() - again;
    assertEquals(second.code, 0, second.stderr);
    const secondOut = outputLines(events(second.stdout));
    assert(secondOut.some((l) => l.includes("Compiling llm-worker-rbee")), "it really rebuilt");
    assertEquals(secondOut.filter((l) => /Unpacking|Downloading|Downloaded/.test(l)), []);
    const after = Deno.statSync(join(registryDir, unpacked[0]));
    assertEquals([after.ino, after.mtime?.getTime()], [before.ino, before.mtime?.getTime()]);
    console.log(
      `cargo worker: first install ${firstMs.toFixed(0)} ms, rebuild from the cache ${
        secondMs.toFixed(0)
      } ms`,
    );

    const cache = await runCli(["cache", "list", "--cache-dir", join(t, "cache")]);
    assertStringIncludes(cache.stdout, `build-cache/${id}/cargo`);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

/** A system root that shows this machine's packages and programs but no NVIDIA driver (unless staged). */
async function stagedSystemRoot(dir: string): Promise<string> {
  await Deno.mkdir(join(dir, "etc"), { recursive: true });
  await Deno.mkdir(join(dir, "var/lib"), { recursive: true });
  await Deno.copyFile("/etc/os-release", join(dir, "etc/os-release"));
  await Deno.symlink("/var/lib/dpkg", join(dir, "var/lib/dpkg"));
  for (const d of ["usr", "bin", "sbin"]) await Deno.symlink(`/${d}`, join(dir, d));
  return dir;
}

Deno.test("the cuda variant is refused before any fetch without an NVIDIA driver, every unmet requirement in one message; --nocheck and --nodeps; accepted with a staged driver", async () => {
  const t = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "wp-cuda-" });
  try {
    const repo = join(t, "llm-worker-rbee");
    await makeWorkerRepo(repo, join(t, "registry"));
    const catalog = join(t, "catalog");
    const id = await writeCatalogWorker(catalog, repo, {
      variant: "cuda",
      depends: ["gcc", "libnvinfer-notthere"],
      checkdepends: ["pytest-notthere"],
    });
    const home = join(t, "home");
    await makeRustupLayout(home);
    const env = {
      HOME: home,
      CARGO_HOME: join(home, ".cargo"),
      RUSTUP_HOME: join(home, ".rustup"),
    };
    const system = await stagedSystemRoot(join(t, "system"));
    const cache = join(t, "cache");
    const where = ["--catalog", catalog, "--root", join(t, "root"), "--cache-dir", cache];
    const install = (...more: string[]) =>
      runCli(["install", id, ...where, "--system-root", system, ...more], { env });

    const refused = await install();
    assertEquals(refused.code, 4, refused.stderr);
    assertStringIncludes(
      refused.stderr,
      `${id} cannot be built here, 3 requirement(s) unmet: an NVIDIA driver`,
    );
    assertStringIncludes(refused.stderr, "libnvinfer-notthere (depends)");
    assertStringIncludes(refused.stderr, "pytest-notthere (checkdepends)");
    assertEquals(refused.stderr.trim().split("\n").length, 1, `one message:\n${refused.stderr}`);
    assertEquals(
      await Deno.stat(join(cache, "git")).catch(() => null),
      null,
      "nothing was fetched",
    );

    await Deno.mkdir(join(system, "proc/driver/nvidia"), { recursive: true });
    await Deno.writeTextFile(
      join(system, "proc/driver/nvidia/version"),
      "NVRM version: 550.54.14\n",
    );
    const nocheck = await install("--nocheck");
    assertEquals(nocheck.code, 4);
    assert(!nocheck.stderr.includes("NVIDIA"), nocheck.stderr);
    assertStringIncludes(nocheck.stderr, "1 requirement(s) unmet: libnvinfer-notthere (depends)");

    const accepted = await install("--nodeps", "--nocheck", "--json");
    assertEquals(accepted.code, 0, accepted.stderr);
    const all = events(accepted.stdout);
    assert(all.some((e) => e.type === "preflight.passed" && e.nodeps === true));
    assert(all.some((e) => e.type === "run.phase" && e.phase === "check" && e.state === "skipped"));
    const ran = await new Deno.Command(join(t, "root/usr/local/bin", id), { stdout: "piped" })
      .output();
    assertEquals(new TextDecoder().decode(ran.stdout), "llm-worker-rbee cuda build 1\n");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
