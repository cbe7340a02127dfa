/** Toolchain discovery and how toolchains, build caches and passed variables shape a phase's environment. */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import {
  directoryToolchain,
  discoverToolchains,
  missingToolchainDirs,
  rustupToolchain,
} from "../../src/run/toolchain.ts";
import { buildCacheDirs, buildCacheEnv } from "../../src/run/build_cache.ts";
import { buildEnvironment, DEFAULT_PATH } from "../../src/run/environment.ts";
import { probeSandbox } from "../../src/run/sandbox.ts";
import { runRecipe } from "../../src/run/run.ts";
import { parsePkgbuild } from "../../src/pkgbuild/mod.ts";

Deno.test("rustupToolchain() finds ~/.cargo/bin/cargo and binds RUSTUP_HOME only when it exists", async () => {
  const home = await Deno.makeTempDir();
  try {
    assertEquals(rustupToolchain({ home }), null);
    await Deno.mkdir(join(home, ".cargo/bin"), { recursive: true });
    await Deno.writeTextFile(join(home, ".cargo/bin/cargo"), "");
    const bin = join(home, ".cargo/bin");
    assertEquals(rustupToolchain({ home }), { kind: "rustup", bin, readOnly: [bin], env: {} });
    await Deno.mkdir(join(home, ".rustup"));
    assertEquals(rustupToolchain({ home })?.env, { RUSTUP_HOME: join(home, ".rustup") });
    assertEquals(
      rustupToolchain({ home: "/nonexistent", cargoHome: join(home, ".cargo") })?.bin,
      bin,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("directoryToolchain() puts DIR/bin on PATH when it exists, else DIR; discoverToolchains() puts named ones first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(directoryToolchain(dir).bin, dir);
    await Deno.mkdir(join(dir, "bin"));
    assertEquals(directoryToolchain(dir), {
      kind: "dir",
      bin: join(dir, "bin"),
      readOnly: [dir],
      env: {},
    });
    assertEquals(discoverToolchains({ dirs: [dir], home: "/nonexistent" }).map((t) => t.kind), [
      "dir",
    ]);
    assertEquals(missingToolchainDirs([dir, join(dir, "nope")]), [join(dir, "nope")]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildEnvironment() prepends toolchains to PATH, points tools at the build cache and lets passed variables win, HOME stays private", () => {
  const cache = buildCacheDirs("/var/cache/wp", "w");
  const env = buildEnvironment({
    phase: "build",
    callerEnv: { SECRET_TOKEN: "x" },
    home: "/run/home",
    sourceDateEpoch: 1,
    toolchains: [
      { kind: "dir", bin: "/opt/cuda/bin", readOnly: ["/opt/cuda"], env: {} },
      { kind: "rustup", bin: "/h/.cargo/bin", readOnly: [], env: { RUSTUP_HOME: "/h/.rustup" } },
    ],
    cacheEnv: buildCacheEnv(cache),
    explicitEnv: { CUDA_HOME: "/opt/cuda", CCACHE_DIR: "/mine", HOME: "/evil" },
  });
  assertEquals(env.PATH, `/opt/cuda/bin:/h/.cargo/bin:${DEFAULT_PATH}`);
  assertEquals(env.CARGO_HOME, "/var/cache/wp/build-cache/w/cargo");
  assertEquals(env.RUSTUP_HOME, "/h/.rustup");
  assertEquals([env.CUDA_HOME, env.CCACHE_DIR, env.HOME], ["/opt/cuda", "/mine", "/run/home"]);
  assertEquals(env.SECRET_TOKEN, undefined);
});

Deno.test({
  name:
    "runRecipe() in bwrap: a toolchain under the hidden HOME is visible read-only, the build cache is writable and persists",
  ignore: !(await probeSandbox()).available,
  async fn() {
    const t = await Deno.makeTempDir();
    try {
      const home = join(t, "home");
      await Deno.mkdir(join(home, ".cargo/bin"), { recursive: true });
      await Deno.writeTextFile(join(home, "secret"), "token\n");
      const tool = join(home, ".cargo/bin/mytool");
      await Deno.writeTextFile(tool, "#!/bin/sh\necho mytool ran\n");
      await Deno.chmod(tool, 0o755);
      const startdir = join(t, "recipe");
      await Deno.mkdir(startdir);
      const recipe = `pkgname=tc
pkgver=1
pkgrel=1
arch=(any)
build() {
  mytool
  if cat "${home}/secret" 2>/dev/null; then echo "secret visible"; fi
  if touch "${home}/.cargo/bin/x" 2>/dev/null; then echo "toolchain writable"; fi
  echo "\${CARGO_HOME}" > "$srcdir/cargo-home"
  echo built >> "\${CARGO_HOME}/marker"
}
package() { :; }
`;
      await Deno.writeTextFile(join(startdir, "PKGBUILD"), recipe);
      const cache = buildCacheDirs(join(t, "cache"), "tc");
      const run = async (n: number) => {
        const lines: string[] = [];
        const srcdir = join(t, `src${n}`);
        await Deno.mkdir(srcdir);
        const result = await runRecipe({
          pkgbuildPath: join(startdir, "PKGBUILD"),
          pkgbuild: parsePkgbuild(recipe, { carch: "x86_64" }),
          startdir,
          srcdir,
          pkgdirBase: join(t, `pkg${n}`),
          carch: "x86_64",
          sandbox: "require",
          env: { HOME: home },
          toolchains: discoverToolchains({ dirs: [join(home, ".cargo")], rustup: false }),
          buildCache: cache,
          logFile: join(t, `log${n}`),
          onEvent: (e) => e.type === "run.output" && lines.push(e.line),
        });
        assertEquals(result.sandboxed, true);
        return { lines, cargoHome: (await Deno.readTextFile(join(srcdir, "cargo-home"))).trim() };
      };
      const first = await run(1);
      assertEquals(first.lines, ["mytool ran"]);
      assertEquals(first.cargoHome, cache.cargo);
      await run(2);
      assertEquals(await Deno.readTextFile(join(cache.cargo, "marker")), "built\nbuilt\n");
    } finally {
      await Deno.remove(t, { recursive: true });
    }
  },
});
