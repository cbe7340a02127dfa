/**
 * The syntax tree {@link parseBash} produces for a bash script.
 *
 * Conventions:
 * - Every node has `pos` (1-based line and column of its first character).
 *   Statements, words, assignments and function definitions also carry
 *   `offset`/`end`: UTF-16 offsets into the text given to `parseBash`
 *   (`text.slice(offset, end)` is the node's source). Nodes re-parsed from a
 *   rewritten text (the inside of backticks, `<<-` heredoc bodies whose tabs
 *   were stripped) have positions that point at the right line but offsets
 *   that are only approximate.
 * - A {@link Word} is a flat list of parts. Each part says whether it was
 *   quoted (inside `'...'`, `"..."`, `$'...'`, `$"..."`, a backslash escape,
 *   or an unquoted-delimiter heredoc body), which is what word splitting,
 *   pathname/pattern matching and brace expansion need. Quote removal has
 *   already happened: `"a"'b'\c` is three quoted literals `a`, `b`, `c`.
 * - Brace expansion (`{a,b}`, `{1..3}`) and glob/extglob characters stay
 *   literal unquoted text; the evaluator expands them.
 *
 * @module
 */

import type { ParamIndex, Position, Word } from "./ast_words.ts";
import type {
  ArithCommand,
  ArithForCommand,
  BraceGroup,
  CaseCommand,
  CoprocCommand,
  ForCommand,
  IfCommand,
  SelectCommand,
  Subshell,
  TestCommand,
  WhileCommand,
} from "./ast_compound.ts";

export * from "./ast_words.ts";
export * from "./ast_compound.ts";

// ---------------------------------------------------------------------------
// Scripts, lists, pipelines

/** A whole parsed script (also the inside of `$(...)`, backticks and `<(...)`). */
export interface Script {
  /** Node kind. */
  type: "Script";
  /** The top-level statements, in order. */
  body: Statement[];
  /** Where the script starts. */
  pos: Position;
  /** Offset of the script's first character. */
  offset: number;
  /** Offset just past its last character. */
  end: number;
}

/** One and-or list with its terminator: `a && b;`, `c &`, or a newline-ended line. */
export interface Statement {
  /** Node kind. */
  type: "Statement";
  /** The commands joined by `&&` / `||`. */
  andOr: AndOr;
  /** Whether the statement ended with `&` (run in the background). */
  background: boolean;
  /** Where the statement starts. */
  pos: Position;
  /** Offset of its first character. */
  offset: number;
  /** Offset just past its last character (before the `;`, `&` or newline). */
  end: number;
}

/** Pipelines joined by `&&` and `||` (left-associative, equal precedence). */
export interface AndOr {
  /** Node kind. */
  type: "AndOr";
  /** The first pipeline. */
  first: Pipeline;
  /** The following pipelines with the operator before each. */
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
  /** Where it starts. */
  pos: Position;
}

/** Commands joined by `|` or `|&`, optionally negated with `!` and timed with `time`. */
export interface Pipeline {
  /** Node kind. */
  type: "Pipeline";
  /** Whether it starts with `!` (an odd number of them). */
  negated: boolean;
  /** Whether it starts with the `time` keyword. */
  timed: boolean;
  /** The commands, at least one. */
  commands: Command[];
  /** For each join (`commands.length - 1` of them): `true` for `|&`, `false` for `|`. */
  pipeStderr: boolean[];
  /** Where it starts. */
  pos: Position;
}

/** Any command. */
export type Command =
  | SimpleCommand
  | IfCommand
  | ForCommand
  | ArithForCommand
  | SelectCommand
  | WhileCommand
  | CaseCommand
  | BraceGroup
  | Subshell
  | TestCommand
  | ArithCommand
  | CoprocCommand
  | FunctionDef;

/** The compound commands (everything but simple commands and function definitions). */
export type CompoundCommand =
  | IfCommand
  | ForCommand
  | ArithForCommand
  | SelectCommand
  | WhileCommand
  | CaseCommand
  | BraceGroup
  | Subshell
  | TestCommand
  | ArithCommand
  | CoprocCommand;

/** The declaration builtins whose assignment-like arguments parse as {@link Assignment}. */
export const DECLARATION_BUILTINS: readonly string[] = [
  "declare",
  "typeset",
  "local",
  "export",
  "readonly",
];

/**
 * A simple command: prefix assignments, words, redirects.
 * `words[0]` is the command name; with no words it is an assignment-only
 * (or redirect-only) command. When `words[0]` is an unquoted literal
 * declaration builtin ({@link DECLARATION_BUILTINS}), its arguments that
 * look like assignments (`x=1`, `a=(x y)`, `a[1]=z`, `a+=(b)`) are
 * {@link Assignment} nodes in `words`; every other word is a {@link Word}.
 */
export interface SimpleCommand {
  /** Node kind. */
  type: "SimpleCommand";
  /** Assignments before the command name. */
  assignments: Assignment[];
  /** The command name and arguments. */
  words: (Word | Assignment)[];
  /** The redirections, in source order. */
  redirects: Redirect[];
  /** Where the command starts. */
  pos: Position;
}

/** `name=value`, `name+=value`, `name[i]=value`, `name=(...)`, `name+=(...)`. */
export interface Assignment {
  /** Node kind. */
  type: "Assignment";
  /** The variable name. */
  name: string;
  /** The subscript of `name[i]=...`. */
  index?: ParamIndex;
  /** `true` for `+=`. */
  append: boolean;
  /** The value: a word (never split or globbed), or an array literal. */
  value: Word | ArrayLiteral;
  /** Where the name starts. */
  pos: Position;
  /** Offset of the name's first character. */
  offset: number;
  /** Offset just past the value. */
  end: number;
}

/** `( elem ... )` on the right of an assignment. */
export interface ArrayLiteral {
  /** Node kind. */
  type: "ArrayLiteral";
  /** The elements: plain words (split and globbed like arguments) or `[k]=v`. */
  elements: (Word | KeyedElement)[];
  /** Where the `(` is. */
  pos: Position;
}

/** `[key]=value` (or `[key]+=value`) inside an {@link ArrayLiteral}. */
export interface KeyedElement {
  /** Node kind. */
  type: "KeyedElement";
  /** The key (an `expr` index). */
  key: ParamIndex;
  /** `true` for `[k]+=v`. */
  append: boolean;
  /** The value (not split or globbed). */
  value: Word;
  /** Where the `[` is. */
  pos: Position;
}

// ---------------------------------------------------------------------------
// Redirections

/** A redirection operator. `<<` / `<<-` are heredocs, `<<<` a here-string. */
export type RedirectOp =
  | "<"
  | ">"
  | ">>"
  | ">|"
  | "<>"
  | "<&"
  | ">&"
  | "&>"
  | "&>>"
  | "<<<"
  | "<<"
  | "<<-";

/** One redirection, e.g. `2>&1`, `>"$f"`, `{fd}<file`, `<<EOF`. */
export interface Redirect {
  /** Node kind. */
  type: "Redirect";
  /** The operator. */
  op: RedirectOp;
  /** The explicit file descriptor number before the operator (`2>`), if any. */
  fd?: number;
  /** The `{var}` before the operator, if any (bash allocates the fd into `var`). */
  fdVar?: string;
  /** The target word; for heredocs the delimiter word as written. */
  target: Word;
  /** The heredoc, for `<<` and `<<-`. */
  heredoc?: HereDoc;
  /** Where the redirection starts. */
  pos: Position;
}

/** The body of a heredoc. */
export interface HereDoc {
  /** The delimiter after quote removal. */
  delimiter: string;
  /** Whether any part of the delimiter was quoted (then the body is literal). */
  quoted: boolean;
  /** `<<-`: leading tabs were stripped from body lines and the delimiter line. */
  stripTabs: boolean;
  /**
   * The body as a word: for a quoted delimiter one quoted literal; otherwise
   * parsed like a double-quoted string in which `"` is not special (all parts quoted).
   */
  body: Word;
  /** The raw body text (tabs already stripped for `<<-`), ending with a newline unless empty. */
  text: string;
}

/**
 * A function definition in any form: `f() body`, `function f body`,
 * `function f() body`; the body is any compound command.
 * Redirections written after the body are on `body.redirects`.
 */
export interface FunctionDef {
  /** Node kind. */
  type: "FunctionDef";
  /** The function name (bash allows `-`, `.`, `:` and more). */
  name: string;
  /** The body. */
  body: CompoundCommand;
  /** The verbatim source from the name (or `function`) through the end of the body. */
  source: string;
  /** Whether it was written with the `function` keyword. */
  keyword: boolean;
  /** Where it starts (`pos.line` is the definition's line). */
  pos: Position;
  /** Offset of its first character. */
  offset: number;
  /** Offset just past the body (including the body's redirections). */
  end: number;
}
