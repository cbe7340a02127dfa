/**
 * Compound commands: `if`, `for`, arithmetic `for`, `while`/`until` and
 * `case`, with `break`/`continue` unwinding.
 *
 * @module
 */

import type {
  ArithForCommand,
  CaseCommand,
  ForCommand,
  IfCommand,
  WhileCommand,
  Word,
} from "../parse/ast.ts";
import { assignValue } from "./assign.ts";
import type { Evaluator } from "./evaluator.ts";
import { LoopSignal } from "./signals.ts";
import { refuse } from "./refusal.ts";
import { expandPattern, expandScalar, expandWords } from "../expand/word.ts";

/** Runs `if`/`elif`/`else`. */
export function execIf(ev: Evaluator, cmd: IfCommand): number {
  for (const clause of cmd.clauses) {
    if (ev.unknowns.requireStatus(ev.execStatements(clause.condition)) === 0) {
      return ev.execStatements(clause.body);
    }
  }
  return cmd.elseBody ? ev.execStatements(cmd.elseBody) : 0;
}

function loop(body: () => number): { status: number; stop: boolean } {
  try {
    return { status: body(), stop: false };
  } catch (e) {
    if (e instanceof LoopSignal) {
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, stop: !e.isContinue };
    }
    throw e;
  }
}

/**
 * Runs a loop: `next(first)` prepares each round and says whether it runs
 * (it is called again after each round that did not `break`); the body's
 * `break`/`continue` unwind here. Returns the status of the last round.
 */
function runLoop(
  ev: Evaluator,
  body: Parameters<Evaluator["execStatements"]>[0],
  next: (first: boolean) => boolean,
): number {
  let status = 0;
  ev.loopDepth++;
  try {
    for (let first = true; next(first); first = false) {
      const r = loop(() => ev.execStatements(body));
      status = r.status;
      if (r.stop) break;
    }
  } finally {
    ev.loopDepth--;
  }
  return status;
}

/** Runs `for name in words`. */
export function execFor(ev: Evaluator, cmd: ForCommand): number {
  const items = cmd.words ? expandWords(ev, cmd.words) : positionalForLoop(ev);
  let i = 0;
  return runLoop(ev, cmd.body, () => {
    if (i >= items.length) return false;
    ev.budget.step();
    assignValue(ev, cmd.name, { scalar: items[i++] }, { append: false, scope: "normal" });
    return true;
  });
}

function positionalForLoop(ev: Evaluator): string[] {
  if (ev.state.positionalUnknown) {
    refuse("for without in", "a for loop over $@ at the top level");
  }
  return [...ev.state.positional];
}

/** Runs `for ((init; test; update))`. */
export function execArithFor(ev: Evaluator, cmd: ArithForCommand): number {
  const arith = (w: Word | undefined): bigint => (w ? ev.arith(expandScalar(ev, w)) : 1n);
  return runLoop(ev, cmd.body, (first) => {
    if (first && cmd.init) arith(cmd.init);
    if (!first && cmd.update) arith(cmd.update);
    if (arith(cmd.test) === 0n) return false;
    ev.budget.step();
    return true;
  });
}

/** Runs `while` and `until` loops (bounded by the step budget). */
export function execWhile(ev: Evaluator, cmd: WhileCommand): number {
  return runLoop(ev, cmd.body, () => {
    ev.budget.step();
    return (ev.unknowns.requireStatus(ev.execStatements(cmd.condition)) === 0) !== cmd.until;
  });
}

/** Runs `case` with `;;`, `;&` and `;;&`. */
export function execCase(ev: Evaluator, cmd: CaseCommand): number {
  const subject = ev.unknowns.require(expandScalar(ev, cmd.word));
  let status = 0;
  let fallthrough = false;
  for (let i = 0; i < cmd.items.length; i++) {
    const item = cmd.items[i];
    let matched = fallthrough;
    if (!matched) {
      for (const pw of item.patterns) {
        const pat = expandPattern(ev, pw);
        if (ev.matches(pat, subject)) {
          matched = true;
          break;
        }
      }
    }
    if (!matched) continue;
    status = ev.execStatements(item.body);
    if (item.terminator === ";&") {
      fallthrough = true;
      continue;
    }
    fallthrough = false;
    if (item.terminator === ";;&") continue;
    return status;
  }
  return status;
}
