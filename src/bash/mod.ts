/**
 * A pure bash lexer, parser and (static) evaluator for PKGBUILDs: no disk,
 * network, process or environment access.
 *
 * @module
 */

export * from "./parse/ast.ts";
export * from "./errors.ts";
export * from "./parse/parser.ts";
export * from "./parse/functions.ts";
export { Evaluator, type EvaluatorOptions } from "./eval/evaluator.ts";
export { DEFAULT_LIMITS, EvalLimit, type EvalLimits, EvalRefusal } from "./eval/refusal.ts";
export { ShellState, type VarValue } from "./eval/state.ts";
export { evalArith } from "./expand/arith.ts";
export { matchPattern } from "./expand/pattern.ts";
