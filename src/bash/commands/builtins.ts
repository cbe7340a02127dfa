/**
 * The pure builtins the evaluator runs: `echo`, `printf`, `true`, `false`,
 * `:`, `test`/`[`, `local`/`declare`/`typeset`/`export`/`readonly`,
 * `unset`, `shift`, `return`, `break`/`continue`, `set`, `shopt`, `read`,
 * `let`, `eval` (`eval.ts`), plus the pure commands of `pure.ts`
 * (`basename`, `dirname`, `sed`, ...); every other builtin (`source`, `exec`, `trap`,
 * `cd`, ...) is refused with its name.
 *
 * @module
 */

import type { Assignment } from "../parse/ast.ts";
import { runDeclare } from "./declare.ts";
import { evalBuiltin } from "./eval.ts";
import { readBuiltin } from "./read.ts";
import { formatEcho, formatPrintf } from "./printf.ts";
import { assignValue } from "../eval/assign.ts";
import type { Evaluator } from "../eval/evaluator.ts";
import { LoopSignal, ReturnSignal } from "../eval/signals.ts";
import { refuse, refuseHiddenCommand } from "../eval/refusal.ts";
import { testBuiltin } from "../eval/conditional.ts";
import { PURE_COMMANDS } from "./pure.ts";
import { noteAssocDelete } from "../eval/assoc_order.ts";

type Builtin = (ev: Evaluator, args: string[], raw: (string | Assignment)[]) => number;

const BUILTINS: Record<string, Builtin> = {
  echo: (ev, args) => {
    ev.write(formatEcho(args));
    return 0;
  },
  printf: printfBuiltin,
  true: () => 0,
  false: () => 1,
  ":": () => 0,
  test: (ev, args) => testBuiltin(ev, args),
  "[": (ev, args) => {
    if (args[args.length - 1] !== "]") refuse("[", "[ without a closing ]");
    return testBuiltin(ev, args.slice(0, -1));
  },
  local: (ev, _a, raw) => runDeclare(ev, "local", raw),
  declare: (ev, _a, raw) => runDeclare(ev, "declare", raw),
  typeset: (ev, _a, raw) => runDeclare(ev, "declare", raw),
  export: (ev, _a, raw) => runDeclare(ev, "export", raw),
  readonly: (ev, _a, raw) => runDeclare(ev, "readonly", raw),
  unset: unsetBuiltin,
  shift: (ev, args) => {
    if (ev.state.positionalUnknown) {
      refuse("shift", `shift at the top level shifts ${ev.profile.host}'s own arguments`);
    }
    const n = args.length ? Number(ev.arith(args[0])) : 1;
    const pos = ev.state.positional;
    if (n < 0 || n > pos.length) return 1;
    pos.splice(0, n);
    return 0;
  },
  return: (ev, args) => {
    const status = args.length ? Number(BigInt.asUintN(8, ev.arith(args[0]))) : ev.state.status;
    throw new ReturnSignal(status);
  },
  break: (ev, args) => loopControl(ev, args, false),
  continue: (ev, args) => loopControl(ev, args, true),
  set: setBuiltin,
  shopt: shoptBuiltin,
  read: readBuiltin,
  eval: evalBuiltin,
  let: (ev, args) => {
    if (args.length === 0) refuse("let", "let without arguments fails");
    let v = 0n;
    for (const a of args) v = ev.arith(a);
    return v !== 0n ? 0 : 1;
  },
  builtin: (ev, args, raw) => {
    if (args.length === 0) return 0;
    const b = lookupBuiltin(args[0]);
    if (!b || Object.hasOwn(PURE_COMMANDS, args[0])) {
      refuse(`builtin ${args[0]}`, `builtin ${args[0]} is not supported`);
    }
    return b(ev, args.slice(1), raw.slice(1));
  },
  ...PURE_COMMANDS,
};

/** True when `name` is a builtin the evaluator knows (supported or refused with its name). */
export function isBuiltin(name: string): boolean {
  return Object.hasOwn(BUILTINS, name) || REFUSED.has(name);
}

/** The builtin named `name`; never a property of `Object.prototype` (`toString`, ...). */
function lookupBuiltin(name: string): Builtin | undefined {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}

const REFUSED = new Set([
  "source",
  ".",
  "exec",
  "exit",
  "trap",
  "cd",
  "pushd",
  "popd",
  "dirs",
  "wait",
  "jobs",
  "kill",
  "disown",
  "bg",
  "fg",
  "suspend",
  "coproc",
  "command",
  "type",
  "hash",
  "enable",
  "alias",
  "unalias",
  "bind",
  "caller",
  "compgen",
  "complete",
  "compopt",
  "fc",
  "history",
  "getopts",
  "logout",
  "mapfile",
  "readarray",
  "times",
  "ulimit",
  "umask",
  "help",
]);

/** Runs builtin `name`; the caller checked {@link isBuiltin}. */
export function runBuiltin(
  ev: Evaluator,
  name: string,
  args: string[],
  raw: (string | Assignment)[],
): number {
  ev.budget.step();
  const b = lookupBuiltin(name);
  if (!b) {
    refuse(
      `builtin '${name}'`,
      `runs the builtin '${name}', which the static evaluator does not run`,
    );
  }
  return b(ev, args, raw);
}

function loopControl(ev: Evaluator, args: string[], isContinue: boolean): number {
  const n = args.length ? Number(ev.arith(args[0])) : 1;
  if (n < 1) refuse(isContinue ? "continue" : "break", "a loop count below 1");
  if (ev.loopDepth === 0) return 0;
  throw new LoopSignal(Math.min(n, ev.loopDepth), isContinue);
}

function printfBuiltin(ev: Evaluator, args: string[]): number {
  let target: string | undefined;
  let a = args;
  if (a[0] === "-v") {
    target = a[1];
    if (target === undefined) refuse("printf -v", "printf -v without a name");
    a = a.slice(2);
  }
  if (a[0] === "--") a = a.slice(1);
  if (a.length === 0) refuse("printf", "printf without a format fails");
  const text = formatPrintf(a[0], a.slice(1));
  if (target !== undefined) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(target);
    if (!m) refuse("printf -v", `printf -v '${target}' is not a valid name`);
    assignValue(ev, m[1], { scalar: text }, { subscript: m[2], append: false, scope: "normal" });
  } else ev.write(text);
  return 0;
}

function unsetBuiltin(ev: Evaluator, args: string[]): number {
  let mode: "v" | "f" | "any" = "any";
  let i = 0;
  for (; i < args.length && /^-[vfn]+$/.test(args[i]); i++) {
    if (args[i].includes("n")) refuse("unset -n", "unset -n (namerefs)");
    mode = args[i].includes("f") ? "f" : "v";
  }
  for (const name of args.slice(i)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(name);
    if (mode === "f" || (mode === "any" && !m)) {
      ev.state.unsetFunction(name);
      continue;
    }
    if (!m) return 1;
    if (m[2] !== undefined) {
      refuseHiddenCommand(m[2], "an unset subscript");
      const found = ev.state.lookup(m[1]);
      const v = found?.variable.value;
      if (!v) continue;
      if (m[2] === "@" || m[2] === "*") {
        ev.state.unset(m[1]);
        continue;
      }
      if (v.kind === "assoc") {
        noteAssocDelete(v.values, m[2]);
        v.values.delete(m[2]);
      } else if (v.kind === "indexed") {
        let k = Number(ev.arith(m[2]));
        if (k < 0) k = Math.max(-1, ...v.values.keys()) + 1 + k;
        v.values.delete(k);
      } else if (Number(ev.arith(m[2])) === 0) ev.state.unset(m[1]);
      continue;
    }
    if (mode === "any" && !ev.state.lookup(m[1]) && ev.state.functions.has(m[1])) {
      // bash unsets the function when no variable of that name exists
      ev.state.unsetFunction(m[1]);
      continue;
    }
    ev.state.unset(m[1]);
  }
  return 0;
}

function setBuiltin(ev: Evaluator, args: string[]): number {
  if (args.length === 0) refuse("set", "set without arguments prints every variable");
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--" || !/^[-+]/.test(a)) {
      const rest = a === "--" ? args.slice(i + 1) : args.slice(i);
      ev.state.setPositional(rest);
      return 0;
    }
    if (a === "-o" || a === "+o") {
      const opt = args[++i];
      if (opt === "pipefail" || opt === "xtrace" || opt === "verbose") continue;
      if (opt === "noglob" || opt === "nounset") {
        ev.state.options[opt] = a === "-o";
        continue;
      }
      refuse(
        `set ${a} ${opt ?? ""}`,
        `set ${a} ${opt ?? ""} changes how the rest of the script runs`,
      );
    }
    for (const f of a.slice(1)) {
      if (f === "x" || f === "v") continue;
      if (f === "f") {
        ev.state.options.noglob = a[0] === "-";
        continue;
      }
      if (f === "u") {
        ev.state.options.nounset = a[0] === "-";
        continue;
      }
      if (a[0] === "+" && f === "e") continue;
      refuse(`set ${a[0]}${f}`, `set ${a[0]}${f} changes how the rest of the script runs`);
    }
  }
  return 0;
}

function shoptBuiltin(ev: Evaluator, args: string[]): number {
  let mode: "s" | "u" | "q" | undefined;
  const names: string[] = [];
  let quiet = false;
  for (const a of args) {
    if (/^-[suqo]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === "s" || f === "u") mode = f;
        else if (f === "q") quiet = true;
        else refuse("shopt -o", "shopt -o");
      }
    } else names.push(a);
  }
  if (names.length === 0) refuse("shopt", "shopt without option names prints the options");
  const opts = ev.state.options;
  let status = 0;
  for (const n of names) {
    if (!["extglob", "nullglob", "nocasematch", "globstar", "dotglob", "failglob"].includes(n)) {
      refuse(`shopt ${n}`, `shopt ${n} is not supported`);
    }
    const key = n as "extglob" | "nullglob" | "nocasematch";
    if (mode === undefined) {
      if (!quiet) refuse("shopt", "shopt printing options");
      const on = key in opts ? opts[key] : false;
      if (!on) status = 1;
      continue;
    }
    if (n === "globstar" || n === "dotglob" || n === "failglob") {
      if (mode === "s") refuse(`shopt -s ${n}`, `shopt -s ${n} is not supported`);
      continue;
    }
    opts[key] = mode === "s";
  }
  return status;
}
