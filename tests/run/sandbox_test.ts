/**
 * The sandbox: package() has no network (build() has), build() cannot write
 * outside srcdir, and cannot read the caller's HOME. Skipped with the reason
 * when bwrap cannot run here.
 */

import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { SandboxUnavailableError } from "../../src/run/errors.ts";
import type { RunEvent } from "../../src/run/events.ts";
import { type RunOptions, runRecipe } from "../../src/run/run.ts";
import { bwrapArgs, probeSandbox } from "../../src/run/sandbox.ts";
import { readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";

const bwrap = await probeSandbox();
const skipReason = bwrap.available ? "" : ` (skipped: ${bwrap.reason})`;

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** Builds `pkgbuildText` in a temp dir; returns the package tree path and the events. */
async function build(
  dir: string,
  pkgbuildText: string,
  extra: Partial<RunOptions> = {},
): Promise<{ pkgdir: string; events: RunEvent[]; sandboxed: boolean }> {
  await Deno.writeTextFile(join(dir, "PKGBUILD"), pkgbuildText);
  await Deno.mkdir(join(dir, "src"), { recursive: true });
  const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64" });
  const events: RunEvent[] = [];
  const result = await runRecipe({
    pkgbuildPath: join(dir, "PKGBUILD"),
    pkgbuild,
    startdir: dir,
    srcdir: join(dir, "src"),
    pkgdirBase: join(dir, "pkg"),
    carch: "x86_64",
    logFile: join(dir, "log"),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { pkgdir: result.packages[0].dir, events, sandboxed: result.sandboxed };
}

const HEADER = "pkgname=sbx\npkgver=1\npkgrel=1\narch=(any)\n";

Deno.test({
  name: `runRecipe() gives build() the network and package() none${skipReason}`,
  ignore: !bwrap.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "wp-sandbox-" });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("hi"),
    );
    try {
      const probe =
        `if (exec 3<>/dev/tcp/127.0.0.1/${server.addr.port}) 2>/dev/null; then echo reachable; else echo blocked; fi`;
      const { pkgdir, sandboxed, events } = await build(
        dir,
        HEADER +
          `build() { ${probe} > "$srcdir/build-net"; }\n` +
          `package() { cp "$srcdir/build-net" "$pkgdir/"; ${probe} > "$pkgdir/package-net"; }\n`,
        { sandbox: "require" },
      );
      assert(sandboxed);
      assertEquals(events[0], { type: "run.sandbox", enabled: true });
      assertEquals(await Deno.readTextFile(join(pkgdir, "build-net")), "reachable\n");
      assertEquals(await Deno.readTextFile(join(pkgdir, "package-net")), "blocked\n");
    } finally {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `runRecipe() keeps build() from writing outside srcdir${skipReason}`,
  ignore: !bwrap.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "wp-sandbox-" });
    // Outside /tmp too, so the read-only system (not only the private /tmp) is what stops it.
    const outside = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "wp-outside-" });
    const id = crypto.randomUUID();
    const targets = [join(outside, "escaped"), `/tmp/wp-escaped-${id}`, `/root/wp-escaped-${id}`];
    try {
      const tries = targets.map((t) =>
        `{ echo x > ${t}; } 2>/dev/null && echo "wrote ${t}" >> "$srcdir/report" || true`
      );
      const { pkgdir } = await build(
        dir,
        HEADER + `build() {\n  ${tries.join("\n  ")}\n  echo inside > "$srcdir/inside"\n}\n` +
          `package() { cp "$srcdir/inside" "$pkgdir/"; }\n`,
        { sandbox: "require" },
      );
      for (const t of targets) assert(!(await exists(t)), `build() wrote ${t} on the host`);
      assertEquals(await Deno.readTextFile(join(pkgdir, "inside")), "inside\n");
      // The control: without the sandbox the same recipe does write there.
      await Deno.remove(join(dir, "pkg"), { recursive: true });
      await build(dir, HEADER + `build() { echo x > ${targets[0]}; }\npackage() { :; }\n`, {
        sandbox: "off",
      });
      assert(await exists(targets[0]), "the control build without the sandbox could not write");
    } finally {
      for (const t of targets.slice(1)) await Deno.remove(t).catch(() => {});
      await Deno.remove(outside, { recursive: true });
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `runRecipe() keeps build() from reading the caller's HOME${skipReason}`,
  ignore: !bwrap.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "wp-sandbox-" });
    // Outside /tmp, so only hiding the caller's HOME protects it.
    const home = await Deno.makeTempDir({ dir: "/var/tmp", prefix: "wp-home-" });
    try {
      await Deno.mkdir(join(home, ".ssh"));
      await Deno.writeTextFile(join(home, ".ssh", "id_ed25519"), "SECRET-KEY\n");
      const recipe = HEADER +
        `build() { { cat ${home}/.ssh/id_ed25519 || echo unreadable; } > "$srcdir/stolen" 2>/dev/null; echo "$HOME" > "$srcdir/home"; }\n` +
        `package() { cp "$srcdir/stolen" "$srcdir/home" "$pkgdir/"; }\n`;
      const env = { HOME: home, PATH: "/usr/bin:/bin", GITHUB_TOKEN: "ghp_secret" };
      const { pkgdir } = await build(dir, recipe, { sandbox: "require", env });
      assertEquals(await Deno.readTextFile(join(pkgdir, "stolen")), "unreadable\n");
      const privateHome = (await Deno.readTextFile(join(pkgdir, "home"))).trim();
      assert(privateHome !== home, "the caller's HOME was passed on");
      // The control: without the sandbox the file is readable (only HOME is private).
      const off = await build(dir, recipe, { sandbox: "off", env });
      assertEquals(await Deno.readTextFile(join(off.pkgdir, "stolen")), "SECRET-KEY\n");
    } finally {
      await Deno.remove(home, { recursive: true });
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("runRecipe() reports when the sandbox is off and fails when it is required but missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-sandbox-" });
  try {
    const { events, sandboxed } = await build(dir, HEADER + "package() { :; }\n", {
      sandbox: "off",
    });
    assertEquals(sandboxed, false);
    assertEquals(events[0], {
      type: "run.sandbox",
      enabled: false,
      reason: "the sandbox was turned off",
    });
    await assertRejects(
      () =>
        build(dir, HEADER + "package() { :; }\n", {
          sandbox: "require",
          bwrap: "/nonexistent/bwrap",
        }),
      SandboxUnavailableError,
    );
    const auto = await build(dir, HEADER + "package() { :; }\n", { bwrap: "/nonexistent/bwrap" });
    assertEquals(auto.sandboxed, false);
    const event = auto.events[0];
    assert(
      event.type === "run.sandbox" && !event.enabled && event.reason?.includes("not installed"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bwrapArgs() hides home directories before binding srcdir, and cuts the network on request", () => {
  const args = bwrapArgs({
    tmpDir: "/var/tmp/run/tmp",
    home: "/var/tmp/run/home",
    writable: ["/home/u/build/src"],
    readOnly: ["/home/u/recipe"],
    hidden: ["/root", "/home", "/tmp/caller-home"],
    network: false,
    cwd: "/home/u/build/src",
  });
  const text = args.join(" ");
  assert(text.startsWith("--ro-bind / / --dev /dev --proc /proc --bind /var/tmp/run/tmp /tmp"));
  assert(
    text.indexOf("--tmpfs /home") < text.indexOf("--bind /home/u/build/src /home/u/build/src"),
  );
  assert(!text.includes("/tmp/caller-home"), "a path under /tmp is already private");
  assert(args.includes("--unshare-net") && args.includes("--unshare-pid"));
  assert(args.includes("--die-with-parent") && args.includes("--new-session"));
  assertEquals(args.at(-1), "--");
  const online = bwrapArgs({ writable: [], readOnly: [], hidden: [], network: true, cwd: "/" });
  assert(!online.includes("--unshare-net") && online.includes("--tmpfs"));
});
