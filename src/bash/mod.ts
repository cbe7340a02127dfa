/**
 * A pure bash library: a lexer and parser (`parse/`), expansions and
 * arithmetic (`expand/`), a static evaluator (`eval/`) and the builtins and
 * pure commands it runs (`commands/`). No disk, network, process or
 * environment access, and no knowledge of any host program: what a host
 * such as makepkg defines around a script comes in as a {@link HostProfile}.
 * This is the library's one entry; `src/pkgbuild/` uses nothing else.
 *
 * @example
 * ```ts
 * import { Evaluator, parseBash, ShellState } from "./mod.ts";
 * const state = new ShellState();
 * new Evaluator(state).execStatements(parseBash('a=(x y); b="${a[1]}"').body);
 * console.log(state.get("b")); // { kind: "scalar", value: "y" }
 * ```
 *
 * @module
 */

export * from "./parse/ast.ts";
export * from "./errors.ts";
export { parseBash, type ParseBashOptions } from "./parse/parser.ts";
export { topLevelFunctions } from "./parse/functions.ts";
export {
  forEachCommand,
  forEachPart,
  forEachWord,
  type ListKind,
  walkFunctionBody,
} from "./parse/walk.ts";
export {
  Evaluator,
  type EvaluatorOptions,
  type FrameSpec,
  LoopSignal,
  type Output,
  ReturnSignal,
} from "./eval/evaluator.ts";
export type { EvalContext } from "./eval/context.ts";
export {
  BARE_PROFILE,
  type HostBuiltin,
  type HostProfile,
  type HostVariable,
} from "./eval/profile.ts";
export {
  Budget,
  DEFAULT_LIMITS,
  EvalLimit,
  type EvalLimits,
  EvalRefusal,
  refuse,
} from "./eval/refusal.ts";
export {
  newVariable,
  type Scope,
  type ShellOptions,
  ShellState,
  type StateHost,
  valueElements,
  type Variable,
  type VarValue,
} from "./eval/state.ts";
export { hasUnknown, isUnknownStatus, UNKNOWN_STATUS_BASE, UnknownTable } from "./eval/unknown.ts";
export { type ArithEnv, evalArith } from "./expand/arith.ts";
export { matchPattern } from "./expand/pattern.ts";
