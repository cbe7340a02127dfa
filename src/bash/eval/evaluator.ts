/**
 * The static bash evaluator: runs a parsed script the way bash would, for
 * the pure subset (variables, expansions, control flow, functions, pure
 * builtins, command substitution of pure commands), and refuses everything
 * else with an {@link EvalRefusal} that names the construct. Never touches
 * the disk, the network, a process or the environment.
 *
 * @module
 */

import type {
  AndOr,
  Assignment,
  Command,
  FunctionDef,
  Pipeline,
  Redirect,
  Script,
  SimpleCommand,
  Statement,
  Word,
} from "../parse/ast.ts";
import { evalArith } from "../expand/arith.ts";
import { assignValue } from "./assign.ts";
import type { EvalContext } from "./context.ts";
import {
  Budget,
  DEFAULT_LIMITS,
  EvalLimit,
  type EvalLimits,
  EvalRefusal,
  refuse,
} from "./refusal.ts";
import { evalTestExpr } from "./conditional.ts";
import { execArithFor, execCase, execFor, execIf, execWhile } from "./compound.ts";
import { applyRedirect } from "./redirect.ts";
import { expandScalar } from "../expand/word.ts";
import { matchPattern } from "../expand/pattern.ts";
import type { ShellState, VarValue } from "./state.ts";
import { BARE_PROFILE, type HostProfile } from "./profile.ts";
import { LoopSignal, ReturnSignal } from "./signals.ts";
import { execPipeline, execSimple } from "./simple.ts";
import { assignInFrame, commandSubstitution, type FrameSpec, sourceInFunction } from "./frames.ts";
import { UnknownTable } from "./unknown.ts";
import { readVariable } from "./read_variable.ts";

/** Where a command's standard output goes. */
export type Output = { buf: string[] } | "discard" | "toplevel";

/** Options of an {@link Evaluator}. */
export interface EvaluatorOptions {
  /** Work bounds. @default DEFAULT_LIMITS */
  limits?: EvalLimits;
  /** What the host defines around the script. @default BARE_PROFILE */
  profile?: HostProfile;
}

/** The evaluator; one instance per evaluation. */
export class Evaluator implements EvalContext {
  /** The shell state. */
  state: ShellState;
  /** The work budget. */
  readonly budget: Budget;
  /** The line being evaluated. */
  line = 1;
  /** Nesting depth of calls and substitutions. */
  depth = 0;
  /** Where standard output goes. */
  out: Output = "toplevel";
  /** Standard input of the current command (here-strings, heredocs, pipes). */
  stdin: string | undefined;
  /** What the host defines around the script. */
  readonly profile: HostProfile;
  /** Variables the script read but did not set whose value (or unsetness) the host's environment gives. */
  readonly environmentReads: Set<string> = new Set();
  /** Names whose reads are refused (the host's locals in {@link assignInFrame}, `BASH_REMATCH` after a failed match). */
  forbidden: Set<string> = new Set();
  /** Exit status of the last command substitution (for assignment-only commands). */
  lastSubstStatus = 0;
  /** Number of enclosing loops (for break/continue). */
  loopDepth = 0;
  /** Number of enclosing function calls. */
  funcDepth = 0;
  /** Number of enclosing command substitutions. */
  substDepth = 0;
  /** The unknown values of this evaluation and why each is unknown. */
  readonly unknowns: UnknownTable = new UnknownTable();

  /** Creates an evaluator over `state`. */
  constructor(state: ShellState, options: EvaluatorOptions = {}) {
    this.state = state;
    this.budget = new Budget(options.limits ?? DEFAULT_LIMITS);
    this.profile = options.profile ?? BARE_PROFILE;
  }

  /**
   * Reads a variable; an unset one reads as the host's environment gives it.
   * A value the evaluation cannot know (the running shell's, the host's
   * locals, the machine's) is refused, or with `opaque` (a plain `$name`,
   * which only moves the text) read as an unknown value.
   */
  readVar(name: string, opaque = false): VarValue | undefined {
    return readVariable(this, name, opaque);
  }

  /** Assigns a scalar (or an element when `subscript` is given). */
  assignScalar(name: string, value: string, subscript?: Word | string): void {
    assignValue(this, name, { scalar: value }, { subscript, append: false, scope: "normal" });
  }

  /** Evaluates arithmetic text. */
  arith(text: string): bigint {
    this.unknowns.require(text);
    return evalArith(text, {
      budget: this.budget,
      get: (name, sub) => {
        const v = this.unsetUnderNounset(name, this.arithGet(name, sub));
        return v === undefined ? v : this.unknowns.require(v);
      },
      set: (name, sub, value) => {
        assignValue(this, name, { scalar: value }, {
          subscript: sub,
          append: false,
          scope: "normal",
          raw: true,
        });
      },
    });
  }

  /** Refuses reading the unset `name` under `set -u` (bash would stop with an error there). */
  unsetUnderNounset<T>(name: string, value: T | undefined): T | undefined {
    if (value === undefined && this.state.options.nounset) {
      refuse("unset variable under set -u", `'${name}' is unset while set -u is on`);
    }
    return value;
  }

  /** An arithmetic read of `name` (or `name[sub]`). */
  private arithGet(name: string, sub: string | undefined): string | undefined {
    const v = this.readVar(name);
    if (sub === undefined) {
      if (!v) return undefined;
      if (v.kind === "scalar") return v.value;
      return v.kind === "indexed" ? v.values.get(0) : v.values.get("0");
    }
    if (v?.kind === "assoc") return v.values.get(sub);
    let i = Number(this.arith(sub));
    if (!v) return undefined;
    if (v.kind === "scalar") return i === 0 ? v.value : undefined;
    if (i < 0) i = (v.values.size ? Math.max(...v.values.keys()) + 1 : 0) + i;
    return v.values.get(i);
  }

  /** Writes to standard output. */
  write(text: string): void {
    if (text === "") return;
    if (this.out === "discard") return;
    if (this.out === "toplevel") {
      refuse(
        "output at the top level",
        `the script prints to standard output while it is sourced, which would end up in ${this.profile.host}'s output`,
      );
    }
    this.budget.step(1 + (text.length >> 8));
    this.out.buf.push(text);
  }

  /** Runs `fn` in a copy of the state (a subshell); returns its status. */
  subshell<T>(fn: () => T): T {
    this.enter();
    const saved = this.state;
    const savedLoop = this.loopDepth;
    this.state = saved.clone();
    try {
      return fn();
    } finally {
      this.state = saved;
      this.loopDepth = savedLoop;
      this.depth--;
    }
  }

  /** Enters one nesting level (calls, substitutions, subshells). */
  enter(): void {
    if (++this.depth > this.budget.limits.maxDepth) {
      this.depth--;
      throw new EvalLimit(
        "recursion",
        `calls and substitutions nest deeper than ${this.budget.limits.maxDepth}`,
      );
    }
  }

  /** `$(...)`: runs the script in a subshell and returns its output. */
  commandSubstitution(script: Script, _line: number): string {
    return commandSubstitution(this, script);
  }

  /** Runs statements in order; returns the last status. */
  execStatements(stmts: readonly Statement[]): number {
    let status = 0;
    for (const st of stmts) status = this.execStatement(st);
    return status;
  }

  /** Runs one statement. */
  execStatement(st: Statement): number {
    this.line = st.pos.line;
    if (st.background) refuse("background job", "a command run in the background with &");
    const status = this.execAndOr(st.andOr);
    this.state.status = status;
    return status;
  }

  /** Runs an and-or list (`a && b || c`). */
  private execAndOr(ao: AndOr): number {
    let status = this.execPipeline(ao.first);
    for (const { op, pipeline } of ao.rest) {
      if ((op === "&&") === (this.unknowns.requireStatus(status) === 0)) {
        status = this.execPipeline(pipeline);
      }
    }
    return status;
  }

  /** Runs a pipeline. */
  private execPipeline(p: Pipeline): number {
    return execPipeline(this, p);
  }

  /** Runs one command; refusals and limits raised inside get the command's line. */
  execCommand(cmd: Command): number {
    try {
      return this.execCommandInner(cmd);
    } catch (e) {
      if ((e instanceof EvalRefusal || e instanceof EvalLimit) && e.line === undefined) {
        e.line = this.line;
      }
      throw e;
    }
  }

  /** Dispatches one command by its kind. */
  private execCommandInner(cmd: Command): number {
    this.budget.step();
    this.line = cmd.pos.line;
    switch (cmd.type) {
      case "SimpleCommand":
        return this.execSimple(cmd);
      case "FunctionDef":
        if (this.profile.reservedFunctions.has(cmd.name)) {
          refuse(
            `function '${cmd.name}'`,
            `the script redefines ${this.profile.host}'s own function '${cmd.name}', which changes what ${this.profile.host} does after sourcing it`,
          );
        }
        this.state.defineFunction(cmd);
        return 0;
      case "Coproc":
        refuse("coproc", "coproc runs a command in the background");
        break;
      case "Select":
        refuse("select", "select reads from the terminal");
    }
    return this.withRedirects(cmd.redirects, () => this.execCompound(cmd));
  }

  /** Runs a compound command (its redirections already applied). */
  private execCompound(cmd: Exclude<Command, SimpleCommand | FunctionDef>): number {
    switch (cmd.type) {
      case "If":
        return execIf(this, cmd);
      case "For":
        return execFor(this, cmd);
      case "ArithFor":
        return execArithFor(this, cmd);
      case "While":
        return execWhile(this, cmd);
      case "Case":
        return execCase(this, cmd);
      case "BraceGroup":
        return this.execStatements(cmd.body);
      case "Subshell":
        return this.subshell(() => {
          try {
            return this.execStatements(cmd.body);
          } catch (e) {
            if (e instanceof ReturnSignal) return e.status;
            throw e;
          }
        });
      case "Test":
        return evalTestExpr(this, cmd.expr) ? 0 : 1;
      case "Arith": {
        this.lastSubstStatus = 0;
        return this.arith(expandScalar(this, cmd.expr)) !== 0n ? 0 : 1;
      }
    }
    refuse("command", `unsupported command ${cmd.type}`);
  }

  /** Pattern matching honouring extglob and nocasematch. */
  matches(pattern: string, subject: string): boolean {
    if (this.state.options.nocasematch) {
      refuse("nocasematch", "shopt -s nocasematch is not supported");
    }
    this.unknowns.require(pattern);
    this.unknowns.require(subject);
    return matchPattern(pattern, subject, this.state.options.extglob);
  }

  /** Runs `fn` with the redirections applied. */
  withRedirects<T>(redirects: readonly Redirect[], fn: () => T): T {
    if (redirects.length === 0) return fn();
    const savedOut = this.out;
    const savedIn = this.stdin;
    try {
      for (const r of redirects) applyRedirect(this, r);
      return fn();
    } finally {
      this.out = savedOut;
      this.stdin = savedIn;
    }
  }

  /** Runs a simple command. */
  private execSimple(cmd: SimpleCommand): number {
    return execSimple(this, cmd);
  }

  /**
   * Sources `script` the way a host does from inside one of its functions
   * (makepkg's `source_safe`): in a new frame whose positional parameters
   * are the host's; `return` ends the sourcing. Returns the status.
   */
  sourceInFunction(script: Script, positional: readonly string[]): number {
    return sourceInFunction(this, script, positional);
  }

  /**
   * Runs `assignments` as assignments to `target`, in a function frame
   * (`frame`) over a copy of the global state, the way a host evals lines
   * of a function body after sourcing (makepkg's override extraction).
   * The global state is left unchanged; the work counts against this
   * evaluator's budget. Returns `target`'s final value in the frame.
   */
  assignInFrame(
    frame: FrameSpec,
    assignments: readonly Assignment[],
    target: string,
  ): VarValue | undefined {
    return assignInFrame(this, frame, assignments, target);
  }

  /** Calls a function defined by the script. */
  callFunction(fn: FunctionDef, args: string[]): number {
    this.enter();
    const scope = { vars: new Map(), positional: args };
    this.state.scopes.push(scope);
    this.funcDepth++;
    const savedLoop = this.loopDepth;
    this.loopDepth = 0;
    try {
      return this.execCommand(fn.body);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      this.loopDepth = savedLoop;
      this.funcDepth--;
      this.depth--;
      const i = this.state.scopes.lastIndexOf(scope);
      if (i >= 0) this.state.scopes.length = i;
    }
  }
}

/** Re-exported for callers that catch evaluator signals. */
export { EvalLimit, EvalRefusal, LoopSignal, ReturnSignal };
export type { FrameSpec };
