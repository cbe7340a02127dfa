/**
 * The interface the expansion and builtin modules see of the evaluator, so
 * they do not depend on its implementation (and on each other's files).
 *
 * @module
 */

import type { Script, Word } from "../parse/ast.ts";
import type { Budget } from "./refusal.ts";
import type { ShellState } from "./state.ts";
import type { HostProfile } from "./profile.ts";
import type { UnknownTable } from "./unknown.ts";

/** What expansion needs from the running evaluator. */
export interface EvalContext {
  /** The shell state. */
  readonly state: ShellState;
  /** What the host defines around the script. */
  readonly profile: HostProfile;
  /** The work budget. */
  readonly budget: Budget;
  /** The line of the command being evaluated (1-based). */
  line: number;
  /** Runs `script` in a subshell and returns its standard output (`$(...)`). */
  commandSubstitution(script: Script, line: number): string;
  /** The unknown values of the evaluation: {@link UnknownTable.require} before inspecting text. */
  readonly unknowns: UnknownTable;
  /**
   * Reads a variable for expansion, refusing reads whose value the host or
   * the environment decide; with `opaque` such a read gives an unknown value.
   */
  readVar(name: string, opaque?: boolean): import("./state.ts").VarValue | undefined;
  /** Returns `value`, refusing when it is undefined (the variable `name` is unset) under `set -u`. */
  unsetUnderNounset<T>(name: string, value: T | undefined): T | undefined;
  /** Assigns a scalar or array element (used by `${v:=w}`, arithmetic and `read`). */
  assignScalar(name: string, value: string, subscript?: Word | string): void;
  /** Evaluates an arithmetic expression text. */
  arith(text: string): bigint;
}
