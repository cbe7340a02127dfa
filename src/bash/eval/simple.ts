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
  return p.negated ? (status === 0 ? 1 : 0) : status;
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
      const fields = argv.length > 0 && ignoresArguments(ev, argv[0])
        ? withoutPathnameExpansion(ev, () => expandList(ev, w))
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
  const name = argv[0];
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
