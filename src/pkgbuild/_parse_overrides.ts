/**
 * Per-package overrides the way makepkg's `get_pkgbuild_attribute` finds
 * and evaluates them: the assignment lines of `package_<name>()` (or of
 * `package()` when that does not exist) that set an attribute, evaluated
 * in order in the global state after sourcing, into a variable that starts
 * from the global value, with makepkg's local variables in scope.
 *
 * @module
 */

import type { Assignment, FunctionDef } from "../bash/parse/ast.ts";
import { findOverrideAssignments } from "../bash/parse/functions.ts";
import { assignNode } from "../bash/eval/assign.ts";
import { Evaluator } from "../bash/eval/evaluator.ts";
import { type Budget, EvalLimit, EvalRefusal, refuse } from "../bash/eval/refusal.ts";
import { type ShellState, valueElements } from "../bash/eval/state.ts";
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

/** Evaluates override `lines` of `attr` for package `pkg` in a copy of the global state. */
export function evaluateOverride(
  global: ShellState,
  pkg: string,
  attr: string,
  isArray: boolean,
  lines: Assignment[],
  budget: Budget,
): PkgbuildValue {
  const st = global.clone();
  st.options.extglob = true;
  const g = st.global.vars.get(attr)?.value;
  let init: PkgbuildValue;
  if (g?.kind === "assoc") refuse(`associative ${attr}`, `${attr} is an associative array`);
  if (isArray) init = valueElements(g);
  else init = g === undefined ? "" : valueElements(g)[0] ?? "";
  const frame = {
    vars: new Map([
      ["pkgname", {
        value: { kind: "scalar" as const, value: pkg },
        integer: false,
        lower: false,
        upper: false,
        readonly: false,
      }],
      [
        "outvalue",
        {
          value: typeof init === "string"
            ? { kind: "scalar" as const, value: init }
            : { kind: "indexed" as const, values: new Map(init.map((v, i) => [i, v])) },
          integer: false,
          lower: false,
          upper: false,
          readonly: false,
        },
      ],
    ]),
    positional: ["package_" + pkg, attr, isArray ? "1" : "0", "outvalue"],
    unknownPositional: true,
  };
  st.scopes = [st.scopes[0], frame];
  const ev = new Evaluator(st, { limits: budget.limits });
  ev.budget.steps = budget.steps;
  ev.funcDepth = 1;
  ev.forbidden = new Set(MAKEPKG_LOCALS.filter((n) => n !== "outvalue"));
  for (const a of lines) {
    ev.line = a.pos.line;
    try {
      assignNode(ev, { ...a, name: "outvalue" }, "normal");
    } catch (e) {
      if ((e instanceof EvalRefusal || e instanceof EvalLimit) && e.line === undefined) {
        e.line = ev.line;
      }
      throw e;
    }
  }
  budget.steps = ev.budget.steps;
  const out = frame.vars.get("outvalue")?.value;
  if (!out) return isArray ? [] : "";
  if (isArray) return valueElements(out);
  if (out.kind !== "scalar") {
    refuse(`override of ${attr}`, `the override of ${attr} turns it into an array`);
  }
  return out.value;
}
