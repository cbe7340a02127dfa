/**
 * Frames around parts of a script: command substitutions, sourcing from inside
 * a host function, and evaluating lines of a function body afterwards in a
 * frame of the host's locals over the global state.
 *
 * @module
 */

import type { Assignment, Script } from "../parse/ast.ts";
import { assignNode } from "./assign.ts";
import type { Evaluator } from "./evaluator.ts";
import { EvalLimit, EvalRefusal } from "./refusal.ts";
import { LoopSignal, ReturnSignal } from "./signals.ts";
import { newVariable, type VarValue } from "./state.ts";

/** A function frame for {@link Evaluator.assignInFrame}. */
export interface FrameSpec {
  /** The frame's local variables. */
  readonly locals: ReadonlyMap<string, VarValue>;
  /** The frame's positional parameters (the host's: reading them is refused). */
  readonly positional: readonly string[];
  /** Names whose reads are refused in the frame (the host's other locals). */
  readonly hidden: readonly string[];
  /** `shopt extglob` in the frame. */
  readonly extglob: boolean;
}

/**
 * Sources `script` the way a host does from inside one of its functions
 * (makepkg's `source_safe`): in a new frame whose positional parameters
 * are the host's; `return` ends the sourcing. Returns the status.
 */
export function sourceInFunction(
  ev: Evaluator,
  script: Script,
  positional: readonly string[],
): number {
  const frame = { vars: new Map(), positional: [...positional], unknownPositional: true };
  ev.state.scopes.push(frame);
  try {
    return ev.execStatements(script.body);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    if (e instanceof LoopSignal) return 0;
    if ((e instanceof EvalRefusal || e instanceof EvalLimit) && e.line === undefined) {
      e.line = ev.line;
    }
    throw e;
  } finally {
    const i = ev.state.scopes.lastIndexOf(frame);
    if (i >= 0) ev.state.scopes.length = i;
  }
}

/**
 * Runs `assignments` as assignments to `target`, in a function frame
 * (`frame`) over a copy of the global state, the way a host evals lines
 * of a function body after sourcing (makepkg's override extraction).
 * The global state is left unchanged; the work counts against ev
 * evaluator's budget. Returns `target`'s final value in the frame.
 */
export function assignInFrame(
  ev: Evaluator,
  frame: FrameSpec,
  assignments: readonly Assignment[],
  target: string,
): VarValue | undefined {
  const saved = { state: ev.state, funcDepth: ev.funcDepth, forbidden: ev.forbidden };
  const st = ev.state.clone();
  st.options.extglob = frame.extglob;
  const vars = new Map([...frame.locals].map(([n, v]) => [n, newVariable(v)]));
  st.scopes = [st.scopes[0], {
    vars,
    positional: [...frame.positional],
    unknownPositional: true,
  }];
  ev.state = st;
  ev.funcDepth = 1;
  ev.forbidden = new Set(frame.hidden);
  try {
    for (const a of assignments) {
      ev.line = a.pos.line;
      assignNode(ev, { ...a, name: target }, "normal");
    }
    // the host reads the result: it must be known
    const result = st.lookup(target)?.variable;
    if (result?.unknownCause !== undefined) ev.unknowns.require(result.unknownCause);
    return ev.unknowns.requireValue(result?.value);
  } catch (e) {
    if ((e instanceof EvalRefusal || e instanceof EvalLimit) && e.line === undefined) {
      e.line = ev.line;
    }
    throw e;
  } finally {
    ev.state = saved.state;
    ev.funcDepth = saved.funcDepth;
    ev.forbidden = saved.forbidden;
  }
}

/**
 * `$(...)`: runs `script` in a subshell of `ev` and returns its output. What
 * the evaluator refuses inside (an external command, an unknown value
 * deciding something) cannot reach the caller's state, so the output and
 * the status become unknown values with that refusal as their cause.
 */
export function commandSubstitution(ev: Evaluator, script: Script): string {
  const savedOut = ev.out;
  const savedIn = ev.stdin;
  const savedLine = ev.line;
  const buf: string[] = [];
  ev.out = { buf };
  ev.stdin = undefined;
  ev.substDepth++;
  let status: number;
  try {
    status = ev.subshell(() => {
      try {
        return ev.execStatements(script.body);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.status;
        if (e instanceof LoopSignal) return 0;
        throw e;
      }
    });
  } catch (e) {
    if (!(e instanceof EvalRefusal)) throw e;
    if (e.line === undefined) e.line = ev.line;
    buf.length = 0;
    buf.push(ev.unknowns.fromRefusal(e));
    status = ev.unknowns.statusFromRefusal(e);
  } finally {
    ev.substDepth--;
    ev.out = savedOut;
    ev.stdin = savedIn;
    ev.line = savedLine;
  }
  ev.lastSubstStatus = status;
  ev.state.status = status;
  return ev.budget.str(buf.join(""));
}
