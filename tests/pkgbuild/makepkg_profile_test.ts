import { assertEquals } from "../_assert.ts";
import { MAKEPKG_PROFILE, makepkgVariable } from "../../src/pkgbuild/_makepkg_profile.ts";

Deno.test("makepkg's clean environment: other environment-style names are unset there", () => {
  for (const name of ["CARGO_HOME", "_BUILD_DOCS", "GOPATH", "JAVA_HOME", "_ENABLE_X"]) {
    assertEquals(makepkgVariable(name).kind, "unset", name);
    assertEquals(MAKEPKG_PROFILE.localNames(name), false, name);
  }
});

Deno.test("makepkg's clean environment: names with a machine or makepkg value are unknown", () => {
  const names = [
    "HOME",
    "PATH",
    "SOURCE_DATE_EPOCH",
    "CARCH",
    "CHOST",
    "CFLAGS",
    "OPTIONS",
    "BUILDENV",
    "LC_ALL",
    "http_proxy",
    "HTTPS_PROXY",
    "startdir",
    "LIBMAKEPKG_UTIL_SH",
    "E_PKGBUILD_ERROR",
  ];
  for (const name of names) assertEquals(makepkgVariable(name).kind, "unknown", name);
});

Deno.test("makepkg's profile: plain lower-case names are the script's own, makepkg's are not", () => {
  assertEquals(MAKEPKG_PROFILE.localNames("_pkgname"), true);
  assertEquals(MAKEPKG_PROFILE.localNames("startdir"), false);
  assertEquals(MAKEPKG_PROFILE.mayDefinePrefix("_pkg"), false);
  assertEquals(MAKEPKG_PROFILE.mayDefinePrefix("start"), true);
  assertEquals(MAKEPKG_PROFILE.mayDefinePrefix("C"), true);
  assertEquals(MAKEPKG_PROFILE.reservedFunctions.has("check_option"), true);
  assertEquals(MAKEPKG_PROFILE.protectedNames.has("BUILDSCRIPT"), true);
});
