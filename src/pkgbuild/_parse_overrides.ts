/**
 * Per-package overrides the way makepkg's `get_pkgbuild_attribute` finds
 * and evaluates them: the assignment lines of `package_<name>()` (or of
 * `package()` when that does not exist) that set an attribute, evaluated
 * in order in the global state after sourcing, into a variable that starts
 * from the global value, with makepkg's local variables in scope.
 *
 * @module
 */

import {
  type Assignment,
  EvalRefusal,
  type Evaluator,
  type FunctionDef,
  refuse,
  type ShellState,
  valueElements,
  type VarValue,
} from "../bash/mod.ts";
import { findOverrideAssignments } from "./_override_scan.ts";
import type { PkgbuildValue } from "./model.ts";

/** makepkg's local variables visible while an override line is evaluated (reads are refused). */
const MAKEPKG_LOCALS = [
  "attrname",
  "attr",
  "isarray",
  "outputvar",
  "outvalue",
  "funcname",
  "decl",
  "r",
  "attr_regex",
  "shellopts",
  "REPLY",
  "package_arch",
  "a",
  "multivalued_arch_attrs",
  "singlevalued",
  "multivalued",
  "pkg",
];

/** The assignments that override `attr` in `fn`, as makepkg finds them; refuses what cannot be mirrored. */
export function overrideAssignments(
  fn: FunctionDef,
  attr: string,
  kind: "array" | "string",
): Assignment[] {
  const scan = findOverrideAssignments(fn, attr, kind);
  if (scan.unsupported.length > 0) {
    const u = scan.unsupported[0];
    throw new EvalRefusal(
      `override of ${attr} in ${fn.name}()`,
      `makepkg's detection of ${attr} in ${fn.name}() cannot be mirrored exactly (${u.reason})`,
      u.line,
    );
  }
  return scan.assignments;
}

/**
 * Evaluates override `lines` of `attr` for package `pkg` the way makepkg's
 * `get_pkgbuild_attribute` does: in a frame over the global state after
 * sourcing, into `outvalue`, which starts from the global value.
 */
export function evaluateOverride(
  ev: Evaluator,
  global: ShellState,
  pkg: string,
  attr: string,
  isArray: boolean,
  lines: Assignment[],
): PkgbuildValue {
  const g = global.globalValue(attr);
  if (g?.kind === "assoc") refuse(`associative ${attr}`, `${attr} is an associative array`);
  const init: VarValue = isArray
    ? { kind: "indexed", values: new Map(valueElements(g).map((v, i) => [i, v])) }
    : { kind: "scalar", value: g === undefined ? "" : valueElements(g)[0] ?? "" };
  const out = ev.assignInFrame(
    {
      locals: new Map<string, VarValue>([["pkgname", { kind: "scalar", value: pkg }], [
        "outvalue",
        init,
      ]]),
      positional: ["package_" + pkg, attr, isArray ? "1" : "0", "outvalue"],
      hidden: MAKEPKG_LOCALS.filter((n) => n !== "outvalue"),
      extglob: true,
    },
    lines,
    "outvalue",
  );
  if (!out) return isArray ? [] : "";
  if (isArray) return valueElements(out);
  if (out.kind !== "scalar") {
    refuse(`override of ${attr}`, `the override of ${attr} turns it into an array`);
  }
  return out.value;
}
