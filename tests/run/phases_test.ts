import { assertEquals, assertThrows } from "../_assert.ts";
import type { Pkgbuild } from "../../src/pkgbuild/model.ts";
import { PackageFunctionError } from "../../src/run/errors.ts";
import { pkgverProblem, planPhases } from "../../src/run/phases.ts";

function recipe(names: string[], functions: string[]): Pkgbuild {
  return {
    carch: "x86_64",
    pkgbase: names[0],
    variables: {},
    packages: names.map((name) => ({ name, overrides: {} })),
    functions: Object.fromEntries(functions.map((f) => [f, { name: f, source: "", line: 1 }])),
  };
}

const runs = (p: Pkgbuild, check?: boolean) =>
  planPhases(p, { check }).map((s) => `${s.kind}:${s.functionName}`);

Deno.test("planPhases() orders prepare, pkgver, build, check, package and skips what is missing", () => {
  assertEquals(runs(recipe(["a"], ["package", "build", "pkgver", "prepare", "check"])), [
    "run:prepare",
    "run:pkgver",
    "run:build",
    "run:check",
    "run:package",
  ]);
  assertEquals(runs(recipe(["a"], ["package"])), [
    "skip:prepare",
    "skip:pkgver",
    "skip:build",
    "skip:check",
    "run:package",
  ]);
  assertEquals(runs(recipe(["a"], ["package", "check"]), false).includes("skip:check"), true);
});

Deno.test("planPhases() runs package_<name> for split packages and single ones that use it", () => {
  assertEquals(runs(recipe(["a", "b"], ["package_b", "package_a"])).slice(4), [
    "run:package_a",
    "run:package_b",
  ]);
  assertEquals(runs(recipe(["a"], ["package_a"])).slice(4), ["run:package_a"]);
  assertEquals(runs(recipe(["a"], [])).slice(4), ["skip:package"]);
});

Deno.test("planPhases() refuses package functions makepkg's lint refuses", () => {
  assertThrows(
    () => planPhases(recipe(["a"], ["build"])),
    PackageFunctionError,
    "Missing package()",
  );
  assertThrows(
    () => planPhases(recipe(["a"], ["package", "package_a"])),
    PackageFunctionError,
    "Conflicting",
  );
  assertThrows(
    () => planPhases(recipe(["a", "b"], ["package", "package_a", "package_b"])),
    PackageFunctionError,
    "Extra",
  );
  assertThrows(
    () => planPhases(recipe(["a", "b"], ["package_a"])),
    PackageFunctionError,
    "package_b()",
  );
});

Deno.test("pkgverProblem() applies makepkg's check_pkgver", () => {
  assertEquals(pkgverProblem("1.2.3"), undefined);
  assertEquals(pkgverProblem("r12.abc_1+x"), undefined);
  for (const bad of ["", "1-2", "1:2", "1/2", "1 2", "1\n2", "1é"]) {
    assertEquals(typeof pkgverProblem(bad), "string", bad);
  }
});
