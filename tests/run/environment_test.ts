import { assertEquals } from "../_assert.ts";
import { buildEnvironment, DEFAULT_PATH, isAllowedVariable } from "../../src/run/environment.ts";

Deno.test("buildEnvironment() keeps only allow-listed caller variables and sets a private HOME", () => {
  const env = buildEnvironment({
    phase: "prepare",
    callerEnv: {
      HOME: "/root",
      LANG: "en_US.UTF-8",
      LC_TIME: "C",
      https_proxy: "http://proxy:3128",
      GITHUB_TOKEN: "ghp_x",
      CFLAGS: "-O2",
    },
    home: "/run/wp/home",
    sourceDateEpoch: 42,
  });
  assertEquals(env, {
    LANG: "en_US.UTF-8",
    LC_TIME: "C",
    https_proxy: "http://proxy:3128",
    PATH: DEFAULT_PATH,
    SOURCE_DATE_EPOCH: "42",
    HOME: "/run/wp/home",
  });
});

Deno.test("buildEnvironment() forwards build flags from build() on, and the caller's SOURCE_DATE_EPOCH", () => {
  const env = buildEnvironment({
    phase: "build",
    callerEnv: {
      CFLAGS: "-O2",
      MAKEFLAGS: "-j4",
      RUSTFLAGS: "-C opt-level=3",
      SOURCE_DATE_EPOCH: "7",
    },
    home: "/h",
    sourceDateEpoch: 42,
  });
  assertEquals(env.CFLAGS, "-O2");
  assertEquals(env.MAKEFLAGS, "-j4");
  assertEquals(env.RUSTFLAGS, "-C opt-level=3");
  assertEquals(env.SOURCE_DATE_EPOCH, "7");
  assertEquals(isAllowedVariable("CFLAGS", "pkgver"), false);
  assertEquals(isAllowedVariable("CFLAGS", "package"), true);
  assertEquals(isAllowedVariable("SSH_AUTH_SOCK", "build"), false);
});
