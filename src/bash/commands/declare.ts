/**
 * `declare`/`typeset`, `local`, `export` and `readonly`: attributes and
 * assignments into the right scope. At the top level of a PKGBUILD these
 * run inside makepkg's `source_safe` function, so `declare` and `local`
 * without `-g` create variables that vanish after sourcing.
 *
 * @module
 */

import type { Assignment } from "../parse/ast.ts";
import { assignExpanded, type AssignScope, bindingFor, expandAssignment } from "../eval/assign.ts";
import type { Evaluator } from "../eval/evaluator.ts";
import { refuse, refuseHiddenCommand } from "../eval/refusal.ts";

/** Runs a declaration builtin; `raw` holds expanded words and assignment nodes. */
export function runDeclare(
  ev: Evaluator,
  kind: "declare" | "local" | "export" | "readonly",
  raw: (string | Assignment)[],
): number {
  const flags = new Set<string>();
  let i = 0;
  for (; i < raw.length; i++) {
    const a = raw[i];
    if (typeof a !== "string") break;
    if (a === "--") {
      i++;
      break;
    }
    if (/^\+[a-zA-Z]+$/.test(a)) {
      if (a === "+x") continue;
      refuse(`${kind} ${a}`, `${kind} ${a} (removing attributes) is not supported`);
    }
    if (!/^-[a-zA-Z]+$/.test(a)) break;
    for (const f of a.slice(1)) flags.add(f);
  }
  if (kind === "declare" && (flags.has("f") || flags.has("F") || flags.has("p"))) {
    return queryDeclare(ev, flags, raw.slice(i));
  }
  for (const f of flags) {
    if (!"aAgilurx".includes(f) || (kind !== "declare" && kind !== "local" && f === "g")) {
      refuse(`${kind} -${f}`, `${kind} -${f} is not supported`);
    }
  }
  const rest = raw.slice(i);
  if (rest.length === 0) refuse(`${kind}`, `${kind} without names prints variables`);
  let scope: AssignScope;
  if (kind === "export" || kind === "readonly") scope = "normal";
  else if (flags.has("g")) scope = "global";
  else scope = "local";
  if (kind === "local" && ev.funcDepth === 0 && ev.state.scopes.length < 2) {
    refuse("local", "local outside a function");
  }
  for (const item of rest) {
    if (typeof item === "string") {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(item)) {
        refuseHiddenCommand(item, `a ${kind} argument`);
        if (/^[A-Za-z_][A-Za-z0-9_]*(\[|\+?=)/.test(item)) {
          refuse(`${kind}`, `${kind} with an assignment or subscript built by expansion`);
        }
        refuse(`${kind}`, `${kind}: '${item}' is not a valid identifier`);
      }
      const b = bindingFor(ev, item, scope);
      applyFlags(b, flags);
      if (flags.has("r")) b.readonly = true;
      continue;
    }
    // bash expands the value first: `local v=$v` reads the caller's v
    const value = expandAssignment(ev, item);
    const b = bindingFor(ev, item.name, scope);
    applyFlags(b, flags);
    assignExpanded(ev, item, value, scope === "local" ? "local" : scope);
    if (flags.has("r")) bindingFor(ev, item.name, scope).readonly = true;
  }
  return 0;
}

function applyFlags(b: import("../eval/state.ts").Variable, flags: Set<string>): void {
  if (flags.has("a")) {
    if (b.value?.kind === "assoc") refuse("declare -a", "declare -a on an associative array fails");
    if (b.value?.kind === "scalar") {
      b.value = { kind: "indexed", values: new Map([[0, b.value.value]]) };
    }
    b.arrayKind = "indexed";
  }
  if (flags.has("A")) {
    if (b.value && b.value.kind !== "assoc") {
      refuse("declare -A", "declare -A on an existing variable");
    }
    b.arrayKind = "assoc";
  }
  if (flags.has("i")) b.integer = true;
  if (flags.has("l")) {
    b.lower = true;
    b.upper = false;
  }
  if (flags.has("u")) {
    b.upper = true;
    b.lower = false;
  }
  // -r is applied after the assignment; -x has no effect on the metadata
}

/** `declare -f/-F/-p NAME...`: existence tests (output discarded) and `-F` name listing. */
function queryDeclare(ev: Evaluator, flags: Set<string>, rest: (string | Assignment)[]): number {
  const names = rest.filter((r): r is string => typeof r === "string");
  if (names.length === 0 || names.length !== rest.length) {
    refuse("declare -p", "declare -f/-F/-p without plain names prints the shell's state");
  }
  let status = 0;
  for (const n of names) {
    if (flags.has("p")) {
      if (ev.out !== "discard") refuse("declare -p", "declare -p prints in bash's own format");
      const found = ev.state.lookup(n);
      if (!found) {
        ev.readVar(n);
        status = 1;
      }
      continue;
    }
    const exists = ev.state.functions.has(n);
    if (!exists) status = 1;
    else if (flags.has("F")) ev.write(n + "\n");
    else if (ev.out !== "discard") {
      refuse("declare -f", "declare -f prints a function in bash's own format");
    }
  }
  return status;
}
