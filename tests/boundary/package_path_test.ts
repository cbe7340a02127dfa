import { assertEquals, assertThrows } from "../_assert.ts";
import {
  packagePathProblem,
  requirePackagePath,
  reservedPathProblem,
  throughSymlinkProblem,
  UnsafePathError,
} from "../../src/boundary/mod.ts";

Deno.test("packagePathProblem() refuses absolute, climbing, unnormalized and control-character paths", () => {
  const attacks = [
    "",
    "/etc/passwd",
    "..",
    "../x",
    "usr/../../x",
    "usr/./bin",
    "usr//bin",
    "usr/bin/",
    "./usr",
    "usr/bin/x\0",
    "usr/bin/x\n",
    "usr/\x1b[2J",
  ];
  for (const p of attacks) assertEquals(typeof packagePathProblem(p), "string", JSON.stringify(p));
  assertEquals(packagePathProblem("usr/local/bin/x"), null);
  assertEquals(packagePathProblem("opt/w/..x"), null); // a name starting with dots is a name
  assertThrows(() => requirePackagePath("../x", "package demo"), UnsafePathError);
});

Deno.test("reservedPathProblem() refuses anything inside the state or cache directory (forged records)", () => {
  const reserved = ["/r/var/lib/worker-provisioner", "/r/var/cache/worker-provisioner"];
  const forged = "/r/var/lib/worker-provisioner/workers/x/record.json";
  assertEquals(typeof reservedPathProblem(forged, "file", reserved), "string");
  assertEquals(
    typeof reservedPathProblem("/r/var/lib/worker-provisioner/workers", "dir", reserved),
    "string",
  );
  assertEquals(
    typeof reservedPathProblem("/r/var/cache/worker-provisioner/x", "symlink", reserved),
    "string",
  );
});

Deno.test("reservedPathProblem() refuses a file or symlink where a parent of the state directory must be", () => {
  const reserved = ["/r/var/lib/worker-provisioner"];
  assertEquals(typeof reservedPathProblem("/r/var/lib", "symlink", reserved), "string");
  assertEquals(typeof reservedPathProblem("/r/var", "file", reserved), "string");
  assertEquals(reservedPathProblem("/r/var/lib", "dir", reserved), null);
  assertEquals(reservedPathProblem("/r/var/lib/other", "file", reserved), null);
  assertEquals(reservedPathProblem("/r/var/lib/worker-provisioner2", "file", reserved), null);
});

Deno.test("throughSymlinkProblem() refuses a path below a symlink another worker installed", () => {
  const links = new Set(["/r/usr/local/lib/x"]);
  assertEquals(typeof throughSymlinkProblem("/r/usr/local/lib/x/file", links), "string");
  assertEquals(typeof throughSymlinkProblem("/r/usr/local/lib/x/a/b", links), "string");
  assertEquals(throughSymlinkProblem("/r/usr/local/lib/x", links), null); // replacing the link itself
  assertEquals(throughSymlinkProblem("/r/usr/local/lib/xy/file", links), null);
});
