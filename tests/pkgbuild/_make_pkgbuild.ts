/**
 * Builds {@link Pkgbuild} values by hand for tests that must not depend on
 * the evaluator: `makePkgbuild({ pkgname: "x", depends: ["a"] }, { x: { pkgdesc: "y" } })`.
 *
 * @module
 */

import type { Pkgbuild, PkgbuildFunction, PkgbuildValue } from "../../src/pkgbuild/model.ts";
import { valueAsArray, valueAsString } from "../../src/pkgbuild/model.ts";

/** Returns a Pkgbuild with `variables`, one package per pkgname with `overrides[name]`, and `functions` (name -> body). */
export function makePkgbuild(
  variables: Record<string, PkgbuildValue>,
  overrides: Record<string, Record<string, PkgbuildValue>> = {},
  functions: Record<string, string> = {},
  carch = "x86_64",
): Pkgbuild {
  const names = valueAsArray(variables.pkgname);
  const fns: Record<string, PkgbuildFunction> = {};
  let line = 100;
  for (const [name, body] of Object.entries(functions)) {
    fns[name] = { name, source: `${name}() {\n${body}\n}`, line: line++ };
  }
  return {
    carch,
    pkgbase: valueAsString(variables.pkgbase) || (names[0] ?? ""),
    variables,
    packages: names.map((name) => ({ name, overrides: overrides[name] ?? {} })),
    functions: fns,
  };
}
