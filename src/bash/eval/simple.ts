/**
 * Simple commands and pipelines: expansion of the words, temporary
 * assignments, the lookup of functions, host builtins and builtins (any
 * other command is refused), and pipelines run stage by stage in subshells.
 *
 * @module
 */

import type { Assignment, Pipeline, SimpleCommand } from "../parse/ast.ts";
import { isBuiltin, runBuiltin } from "../commands/builtins.ts";
import { expandList, expandScalar } from "../expand/word.ts";
import { assignNode } from "./assign.ts";
import type { Evaluator } from "./evaluator.ts";
import { hostBuiltin } from "./profile.ts";
import { refuse } from "./refusal.ts";
import { ReturnSignal } from "./signals.ts";
import { hasUnknown } from "./unknown.ts";

/** Runs a pipeline; each stage but the last writes into the next one's standard input. */
export function execPipeline(ev: Evaluator, p: Pipeline): number {
  ev.budget.step();
  let status: number;
  if (p.commands.length === 1) {
    status = ev.execCommand(p.commands[0]);
  } else {
    let input = ev.stdin;
    const finalOut = ev.out;
    status = 0;
    p.commands.forEach((cmd, i) => {
      const last = i === p.commands.length - 1;
      const buf: string[] = [];
      const savedOut = ev.out;
      const savedIn = ev.stdin;
      ev.out = last ? finalOut : { buf };
      ev.stdin = input;
      try {
        status = ev.subshell(() => {
          try {
            return ev.execCommand(cmd);
          } catch (e) {
            if (e instanceof ReturnSignal) return e.status;
            throw e;
          }
        });
      } finally {
        ev.out = savedOut;
        ev.stdin = savedIn;
      }
      input = buf.join("");
    });
  }
  ev.state.status = status;
  if (!p.negated) return status;
  return ev.unknowns.requireStatus(status) === 0 ? 1 : 0;
}

/** Runs a simple command. */
export function execSimple(ev: Evaluator, cmd: SimpleCommand): number {
  ev.lastSubstStatus = 0;
  if (cmd.words.length === 0) {
    for (const a of cmd.assignments) assignNode(ev, a, "normal");
    return ev.withRedirects(cmd.redirects, () => ev.lastSubstStatus);
  }
  const first = cmd.words[0];
  const argv: string[] = [];
  const declArgs: (string | Assignment)[] = [];
  for (const w of cmd.words) {
    if (w.type === "Assignment") declArgs.push(w);
    else {
      // `:`, `true` and `false` ignore their arguments: how an unknown one splits does not matter
      const fields = argv.length > 0 && ignoresArguments(ev, argv[0])
        ? withoutPathnameExpansion(ev, () => expandList(ev, w, () => {}))
        : expandList(ev, w);
      argv.push(...fields);
      declArgs.push(...fields);
    }
  }
  if (argv.length === 0) {
    if (first.type === "Assignment") refuse("command", "a declaration without a command name");
    for (const a of cmd.assignments) assignNode(ev, a, "normal");
    return ev.withRedirects(cmd.redirects, () => ev.lastSubstStatus);
  }
  const name = ev.unknowns.require(argv[0]);
  ev.line = cmd.pos.line;
  const fn = ev.state.functions.get(name);
  const host = fn ? undefined : hostBuiltin(ev.profile, name);
  if (!fn && !host && !isBuiltin(name)) {
    const where = ev.substDepth > 0 ? "command substitution runs" : "runs";
    refuse(
      `external command '${name}'`,
      `${where} the external command '${name}'; the static evaluator never runs commands ` +
        "(use the trusted fallback to source it in a sandbox)",
    );
  }
  return withTempAssignments(ev, cmd, () =>
    ev.withRedirects(cmd.redirects, () => {
      if (!fn) requireKnownInput(ev, name, argv.slice(1));
      if (fn) return ev.callFunction(fn, argv.slice(1));
      if (host) return host(ev, argv.slice(1), declArgs.slice(1));
      return runBuiltin(ev, name, argv.slice(1), declArgs.slice(1));
    }));
}

/**
 * Whether the builtin `name` ignores its arguments (`:`, `true`, `false`), so
 * globbing them cannot change anything (their other expansions still run).
 */
function ignoresArguments(ev: Evaluator, name: string): boolean {
  return (name === ":" || name === "true" || name === "false") && !ev.state.functions.has(name);
}

function withoutPathnameExpansion<T>(ev: Evaluator, fn: () => T): T {
  const saved = ev.state.options.noglob;
  ev.state.options.noglob = true;
  try {
    return fn();
  } finally {
    ev.state.options.noglob = saved;
  }
}

function withTempAssignments(ev: Evaluator, cmd: SimpleCommand, fn: () => number): number {
  if (cmd.assignments.length === 0) return fn();
  const scope = { vars: new Map(), positional: undefined };
  const values = cmd.assignments.map((a) => {
    if (a.value.type !== "Word" || a.index || a.append) {
      refuse("assignment before a command", "an array assignment before a command");
    }
    return [a.name, expandScalar(ev, a.value)] as const;
  });
  ev.state.scopes.push(scope);
  try {
    for (const [n, v] of values) {
      scope.vars.set(n, {
        value: { kind: "scalar", value: v },
        integer: false,
        lower: false,
        upper: false,
        readonly: false,
      });
    }
    return fn();
  } finally {
    const i = ev.state.scopes.indexOf(scope);
    if (i >= 0) ev.state.scopes.splice(i, 1);
  }
}

/**
 * Refuses an unknown value in what the command `name` (a builtin or a host
 * function) would look at: its arguments and standard input. `:`, `true`
 * and `false` look at nothing; `echo` only moves text after its options
 * (without `-e`); `printf` only moves the arguments of plain `%s`.
 */
function requireKnownInput(ev: Evaluator, name: string, args: string[]): void {
  const unknowns = ev.unknowns;
  if (ignoresArguments(ev, name)) return;
  if (name === "echo" && echoMovesText(args)) return;
  if (name === "printf" && printfMovesText(ev, args)) return;
  unknowns.requireAll(args);
  unknowns.require(ev.stdin ?? "");
}

/** Whether `echo args` only moves its unknown values: none is in option position, no `-e`. */
function echoMovesText(args: string[]): boolean {
  let escapes = false;
  let i = 0;
  for (; i < args.length && !hasUnknown(args[i]) && /^-[neE]+$/.test(args[i]); i++) {
    for (const f of args[i].slice(1)) if (f !== "n") escapes = f === "e";
  }
  return i < args.length && !hasUnknown(args[i]) ? !escapes : !args.slice(i).some(hasUnknown);
}

/** Whether `printf args` only moves its unknown values: a known format of plain `%s` conversions. */
function printfMovesText(ev: Evaluator, args: string[]): boolean {
  let i = args[0] === "-v" ? 2 : 0;
  if (args[i] === "--") i++;
  ev.unknowns.requireAll(args.slice(0, i + 1));
  const conversions = (args[i] ?? "").replaceAll("%%", "").match(/%[^a-zA-Z%]*[a-zA-Z]?/g) ?? [];
  return conversions.every((c) => c === "%s") || !args.slice(i + 1).some(hasUnknown);
}
