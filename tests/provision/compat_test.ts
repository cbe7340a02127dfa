import { assertEquals, assertStringIncludes, assertThrows } from "../_assert.ts";
import { IncompatibleError } from "../../mod.ts";
import {
  checkCompatibility,
  incompatibility,
  normalizeArch,
  normalizePlatform,
} from "../../src/provision/compat.ts";

Deno.test("normalizeArch() maps amd64/x64 and arm64 to makepkg's x86_64 and aarch64", () => {
  assertEquals(["amd64", "x64", "X86_64", "arm64", "aarch64", "armv7h"].map(normalizeArch), [
    "x86_64",
    "x86_64",
    "x86_64",
    "aarch64",
    "aarch64",
    "armv7h",
  ]);
  assertEquals(normalizePlatform("darwin"), "macos");
});

Deno.test("checkCompatibility() accepts a target listed by the entry and the PKGBUILD, and arch=(any)", () => {
  const linux = { platform: "linux", arch: "aarch64" };
  checkCompatibility({
    id: "w",
    platforms: ["linux"],
    architectures: ["x86_64", "arm64"],
    pkgbuildArch: ["x86_64", "aarch64"],
  }, linux);
  checkCompatibility({ id: "w", pkgbuildArch: ["any"] }, linux);
  checkCompatibility({ id: "w" }, linux);
});

Deno.test("checkCompatibility() names the host value and what is supported", () => {
  const t = { platform: "linux", arch: "aarch64" };
  const e1 = assertThrows(
    () => checkCompatibility({ id: "w", platforms: ["macos", "windows"] }, t),
    IncompatibleError,
  );
  assertEquals(e1.message, "Worker w does not support platform linux; it supports macos, windows");
  assertEquals(e1.exitCode, 4);
  const e2 = assertThrows(
    () => checkCompatibility({ id: "w", architectures: ["amd64"] }, t),
    IncompatibleError,
  );
  assertEquals(
    e2.message,
    "Worker w does not support architecture aarch64; the catalog lists x86_64",
  );
  const e3 = incompatibility({ id: "w", architectures: ["aarch64"], pkgbuildArch: ["x86_64"] }, t)!;
  assertStringIncludes(e3.message, "its PKGBUILD arch=() lists x86_64");
  assertEquals(e3.supported, ["x86_64"]);
});
