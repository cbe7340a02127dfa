/**
 * The compound-command and `[[ ]]` nodes of the syntax tree. Re-exported by
 * `ast.ts`; see its module documentation for the conventions.
 *
 * @module
 */

import type { Command, Redirect, Statement } from "./ast.ts";
import type { Position, Word } from "./ast_words.ts";
// ---------------------------------------------------------------------------
// Compound commands

/** `if c; then b; elif c2; then b2; else e; fi`. */
export interface IfCommand {
  /** Node kind. */
  type: "If";
  /** The `if` and `elif` clauses in order. */
  clauses: { condition: Statement[]; body: Statement[] }[];
  /** The `else` body, if any. */
  elseBody?: Statement[];
  /** Redirections after `fi`. */
  redirects: Redirect[];
  /** Where `if` is. */
  pos: Position;
}

/** `for name in words; do ...; done` (`words` absent when there is no `in`: `"$@"`). */
export interface ForCommand {
  /** Node kind. */
  type: "For";
  /** The loop variable. */
  name: string;
  /** The words after `in`; absent when `in` was omitted. */
  words?: Word[];
  /** The loop body. */
  body: Statement[];
  /** Redirections after `done`. */
  redirects: Redirect[];
  /** Where `for` is. */
  pos: Position;
}

/** `for ((init; test; update)); do ...; done`; each part an arithmetic word (absent if empty). */
export interface ArithForCommand {
  /** Node kind. */
  type: "ArithFor";
  /** The initialiser. */
  init?: Word;
  /** The test (absent means true). */
  test?: Word;
  /** The update. */
  update?: Word;
  /** The loop body. */
  body: Statement[];
  /** Redirections after `done`. */
  redirects: Redirect[];
  /** Where `for` is. */
  pos: Position;
}

/** `select name in words; do ...; done`. */
export interface SelectCommand {
  /** Node kind. */
  type: "Select";
  /** The variable. */
  name: string;
  /** The words after `in`; absent when `in` was omitted. */
  words?: Word[];
  /** The body. */
  body: Statement[];
  /** Redirections after `done`. */
  redirects: Redirect[];
  /** Where `select` is. */
  pos: Position;
}

/** `while c; do ...; done` or `until c; do ...; done`. */
export interface WhileCommand {
  /** Node kind. */
  type: "While";
  /** `true` for `until`. */
  until: boolean;
  /** The condition list. */
  condition: Statement[];
  /** The loop body. */
  body: Statement[];
  /** Redirections after `done`. */
  redirects: Redirect[];
  /** Where `while`/`until` is. */
  pos: Position;
}

/** `case word in pat|pat) ...;; esac`. */
export interface CaseCommand {
  /** Node kind. */
  type: "Case";
  /** The word matched against the patterns. */
  word: Word;
  /** The clauses in order. */
  items: CaseItem[];
  /** Redirections after `esac`. */
  redirects: Redirect[];
  /** Where `case` is. */
  pos: Position;
}

/** One `pat|pat) body ;;` clause of a {@link CaseCommand}. */
export interface CaseItem {
  /** Node kind. */
  type: "CaseItem";
  /** The patterns (quoted parts match literally). */
  patterns: Word[];
  /** The body. */
  body: Statement[];
  /** `;;` stop, `;&` fall through, `;;&` test the next patterns; `null` before `esac`. */
  terminator: ";;" | ";&" | ";;&" | null;
  /** Where the clause starts. */
  pos: Position;
}

/** `{ list; }`. */
export interface BraceGroup {
  /** Node kind. */
  type: "BraceGroup";
  /** The body. */
  body: Statement[];
  /** Redirections after `}`. */
  redirects: Redirect[];
  /** Where `{` is. */
  pos: Position;
}

/** `( list )`. */
export interface Subshell {
  /** Node kind. */
  type: "Subshell";
  /** The body. */
  body: Statement[];
  /** Redirections after `)`. */
  redirects: Redirect[];
  /** Where `(` is. */
  pos: Position;
}

/** `[[ expression ]]`. */
export interface TestCommand {
  /** Node kind. */
  type: "Test";
  /** The expression tree. */
  expr: TestExpr;
  /** Redirections after `]]`. */
  redirects: Redirect[];
  /** Where `[[` is. */
  pos: Position;
}

/** `(( expression ))`. */
export interface ArithCommand {
  /** Node kind. */
  type: "Arith";
  /** The expression, a word in double-quote-like mode (expand, then evaluate). */
  expr: Word;
  /** The source text between `((` and `))`. */
  source: string;
  /** Redirections after `))`. */
  redirects: Redirect[];
  /** Where `((` is. */
  pos: Position;
}

/** `coproc [NAME] command` (parsed so that files using it load; never evaluated). */
export interface CoprocCommand {
  /** Node kind. */
  type: "Coproc";
  /** The name, when given (only with a compound command). */
  name?: string;
  /** The command. */
  body: Command;
  /** Redirections (those of a simple-command body stay on that command). */
  redirects: Redirect[];
  /** Where `coproc` is. */
  pos: Position;
}

// ---------------------------------------------------------------------------
// [[ ]] expressions

/** A `[[ ]]` expression tree. */
export type TestExpr = TestUnary | TestBinary | TestNot | TestAnd | TestOr | TestWord;

/** `-f file`, `-n str`, `-v name`, ...; `op` is the operator as written. */
export interface TestUnary {
  /** Node kind. */
  type: "TestUnary";
  /** The operator, e.g. `-n`, `-z`, `-f`, `-d`, `-e`, `-v`. */
  op: string;
  /** The operand. */
  operand: Word;
  /** Where the operator is. */
  pos: Position;
}

/**
 * `l op r`. For `==`, `=` and `!=` the right side is a pattern (quoted parts
 * literal); for `=~` it is a regex word (quoted parts match literally,
 * unquoted text is an ERE). `<`/`>` compare strings; `-eq` etc. arithmetic.
 */
export interface TestBinary {
  /** Node kind. */
  type: "TestBinary";
  /** The operator as written. */
  op: string;
  /** The left operand. */
  left: Word;
  /** The right operand. */
  right: Word;
  /** Where the left operand starts. */
  pos: Position;
}

/** `! expr`. */
export interface TestNot {
  /** Node kind. */
  type: "TestNot";
  /** The negated expression. */
  expr: TestExpr;
  /** Where `!` is. */
  pos: Position;
}

/** `l && r`. */
export interface TestAnd {
  /** Node kind. */
  type: "TestAnd";
  /** Left side. */
  left: TestExpr;
  /** Right side. */
  right: TestExpr;
  /** Where the left side starts. */
  pos: Position;
}

/** `l || r`. */
export interface TestOr {
  /** Node kind. */
  type: "TestOr";
  /** Left side. */
  left: TestExpr;
  /** Right side. */
  right: TestExpr;
  /** Where the left side starts. */
  pos: Position;
}

/** A lone word: true when it expands to a non-empty string (`[[ $x ]]`). */
export interface TestWord {
  /** Node kind. */
  type: "TestWord";
  /** The word. */
  word: Word;
  /** Where it starts. */
  pos: Position;
}
