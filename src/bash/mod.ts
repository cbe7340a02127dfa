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
