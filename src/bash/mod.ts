/**
 * A pure bash lexer, parser and (static) evaluator for PKGBUILDs: no disk,
 * network, process or environment access.
 *
 * @module
 */

export * from "./ast.ts";
export * from "./errors.ts";
export * from "./parser.ts";
export * from "./functions.ts";
export { Evaluator, type EvaluatorOptions } from "./eval.ts";
export { DEFAULT_LIMITS, EvalLimit, type EvalLimits, EvalRefusal } from "./eval_errors.ts";
export { ShellState, type VarValue } from "./state.ts";
export { evalArith } from "./arith.ts";
export { matchPattern } from "./pattern.ts";
