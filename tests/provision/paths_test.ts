import { assertEquals, assertThrows } from "../_assert.ts";
import {
  defaultLayout,
  destinationOf,
  rootOfStateDir,
  statePaths,
} from "../../src/provision/paths.ts";

Deno.test("defaultLayout() uses / and system state for root, the root's own state with --root", () => {
  assertEquals(defaultLayout({ uid: 0, home: "/root" }), {
    root: "/",
    stateDir: "/var/lib/worker-provisioner",
    cacheDir: "/var/cache/worker-provisioner",
  });
  assertEquals(defaultLayout({ uid: 1000, home: "/home/u", root: "/tmp/r" }), {
    root: "/tmp/r",
    stateDir: "/tmp/r/var/lib/worker-provisioner",
    cacheDir: "/home/u/.cache/worker-provisioner",
  });
});

Deno.test("defaultLayout() installs a normal user's workers under ~/.local with XDG state and cache", () => {
  assertEquals(defaultLayout({ uid: 1000, home: "/home/u" }), {
    root: "/",
    userPrefix: "/home/u/.local",
    stateDir: "/home/u/.local/state/worker-provisioner",
    cacheDir: "/home/u/.cache/worker-provisioner",
  });
  assertEquals(
    defaultLayout({ uid: 1000, home: "/home/u", xdgStateHome: "/s", xdgCacheHome: "/c" }).stateDir,
    "/s/worker-provisioner",
  );
});

Deno.test("destinationOf() maps usr/local/ and usr/ into the user prefix and keeps paths under --root", () => {
  const user = defaultLayout({ uid: 1000, home: "/home/u" });
  assertEquals(destinationOf(user, "usr/local/bin/w"), "/home/u/.local/bin/w");
  assertEquals(destinationOf(user, "usr/bin/w"), "/home/u/.local/bin/w");
  assertEquals(destinationOf(user, "usr/share/w/x"), "/home/u/.local/share/w/x");
  assertEquals(destinationOf(user, "opt/w/bin/w"), "/home/u/.local/opt/w/bin/w");
  assertEquals(destinationOf(user, "usr"), "/home/u/.local");
  const rooted = defaultLayout({ uid: 0, root: "/tmp/r" });
  assertEquals(destinationOf(rooted, "usr/local/bin/w"), "/tmp/r/usr/local/bin/w");
  assertThrows(() => destinationOf(rooted, "../etc/passwd"));
  assertEquals(statePaths("/s").record("w"), "/s/workers/w/record.json");
});

Deno.test("rootOfStateDir() finds the root of a system state directory and / otherwise", () => {
  assertEquals(rootOfStateDir("/tmp/r/var/lib/worker-provisioner"), "/tmp/r");
  assertEquals(rootOfStateDir("/var/lib/worker-provisioner/"), "/");
  assertEquals(rootOfStateDir("/home/u/.local/state/worker-provisioner"), "/");
});
