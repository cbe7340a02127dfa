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
