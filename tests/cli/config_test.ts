import { assertEquals } from "../_assert.ts";
import { parseCommandLine } from "../../src/cli/args.ts";
import {
  catalogLocation,
  type ConfigSource,
  normalizeArch,
  resolveConfig,
} from "../../src/cli/config.ts";
import { findCommand } from "../../src/cli/spec.ts";

class FakeSource implements ConfigSource {
  read: string[] = [];
  constructor(private vars: Record<string, string>, private id: number) {}
  env(name: string): string | undefined {
    this.read.push(name);
    return this.vars[name];
  }
  uid(): number | null {
    this.read.push("uid");
    return this.id;
  }
}

function resolveFor(argv: string[], vars: Record<string, string>, uid: number) {
  const spec = findCommand(argv[0])!;
  const args = parseCommandLine(argv.slice(1), spec);
  const source = new FakeSource(vars, uid);
  return { config: resolveConfig(spec.settings, args, source, "/cwd"), read: source.read };
}

Deno.test("resolveConfig() uses system directories for root", () => {
  const { config } = resolveFor(["install", "w"], {}, 0);
  assertEquals(config.root, "/");
  assertEquals(config.stateDir, "/var/lib/worker-provisioner");
  assertEquals(config.cacheDir, "/var/cache/worker-provisioner");
  assertEquals(config.catalog, { kind: "url", url: "http://localhost:8787" });
});

Deno.test("resolveConfig() uses XDG directories and ~/.local for a normal user", () => {
  const { config } = resolveFor(["install", "w"], { HOME: "/home/u" }, 1000);
  assertEquals(config.userPrefix, "/home/u/.local");
  assertEquals(config.stateDir, "/home/u/.local/state/worker-provisioner");
  assertEquals(config.cacheDir, "/home/u/.cache/worker-provisioner");
});

Deno.test("resolveConfig() honours XDG_CACHE_HOME and XDG_STATE_HOME", () => {
  const { config } = resolveFor(["install", "w"], {
    HOME: "/home/u",
    XDG_CACHE_HOME: "/c",
    XDG_STATE_HOME: "/s",
  }, 1000);
  assertEquals(config.cacheDir, "/c/worker-provisioner");
  assertEquals(config.stateDir, "/s/worker-provisioner");
});

Deno.test("resolveConfig() prefers flags over environment over defaults", () => {
  const vars = {
    WORKER_CATALOG_URL: "http://env:1",
    WORKER_PROVISIONER_ROOT: "/envroot",
    WORKER_PROVISIONER_CACHE_DIR: "/envcache",
    WORKER_PROVISIONER_ARCH: "arm64",
  };
  const fromEnv = resolveFor(["install", "w"], vars, 0).config;
  assertEquals(fromEnv.catalog, { kind: "url", url: "http://env:1" });
  assertEquals(fromEnv.root, "/envroot");
  assertEquals(fromEnv.stateDir, "/envroot/var/lib/worker-provisioner");
  assertEquals(fromEnv.cacheDir, "/envcache");
  assertEquals(fromEnv.arch, "aarch64");
  const fromFlags = resolveFor(
    [
      "install",
      "w",
      "--catalog",
      "cat",
      "--root",
      "r",
      "--cache-dir",
      "/c",
      "--arch",
      "amd64",
    ],
    vars,
    0,
  ).config;
  assertEquals(fromFlags.catalog, { kind: "dir", dir: "/cwd/cat" });
  assertEquals(fromFlags.root, "/cwd/r");
  assertEquals(fromFlags.stateDir, "/cwd/r/var/lib/worker-provisioner");
  assertEquals(fromFlags.cacheDir, "/c");
  assertEquals(fromFlags.arch, "x86_64");
});

Deno.test("resolveConfig() reads no variable that a flag already decides", () => {
  const { read } = resolveFor(
    [
      "install",
      "w",
      "--catalog",
      "http://x",
      "--root",
      "/r",
      "--cache-dir",
      "/c",
      "--state-dir",
      "/s",
      "--arch",
      "x86_64",
    ],
    {},
    0,
  );
  assertEquals(read, []);
});

Deno.test("resolveConfig() reads only the cache variables for `cache list`", () => {
  const { read } = resolveFor(["cache", "list"], {}, 0);
  assertEquals(read, ["WORKER_PROVISIONER_CACHE_DIR", "WORKER_PROVISIONER_ROOT", "uid"]);
  const flagged = resolveFor(["cache", "list", "--cache-dir", "/c"], {}, 0);
  assertEquals(flagged.read, []);
});

Deno.test("normalizeArch() maps arm64 and amd64 to makepkg's names", () => {
  assertEquals(["arm64", "ARM64", "amd64", "x86_64", "aarch64", "riscv64"].map(normalizeArch), [
    "aarch64",
    "aarch64",
    "x86_64",
    "x86_64",
    "aarch64",
    "riscv64",
  ]);
});

Deno.test("catalogLocation() tells URLs from directories", () => {
  assertEquals(catalogLocation("https://c.example/", "/w"), {
    kind: "url",
    url: "https://c.example",
  });
  assertEquals(catalogLocation("file:///srv/cat", "/w"), { kind: "dir", dir: "/srv/cat" });
  assertEquals(catalogLocation("../cat", "/w/x"), { kind: "dir", dir: "/w/cat" });
});
