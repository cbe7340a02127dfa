/**
 * The word-level nodes of the syntax tree (positions, words, word parts,
 * parameter expansion operators). Re-exported by `ast.ts`; see its module
 * documentation for the conventions.
 *
 * @module
 */

import type { Script } from "./ast.ts";

/** A 1-based line and column (UTF-16 code units) in the parsed text. */
export interface Position {
  /** Line number, starting at 1. */
  line: number;
  /** Column number, starting at 1. */
  column: number;
}

// ---------------------------------------------------------------------------
// Words

/**
 * One shell word: the parts that expand and concatenate into one or more
 * fields. A word with no parts is an empty unquoted word (e.g. the value of
 * `a=`); `""` is a word with one quoted empty literal.
 */
export interface Word {
  /** Node kind. */
  type: "Word";
  /** The parts, in source order; adjacent literals of equal quotedness are merged. */
  parts: WordPart[];
  /** Where the word starts. */
  pos: Position;
  /** Offset of the first character of the word in the parsed text. */
  offset: number;
  /** Offset just past the last character of the word. */
  end: number;
}

/** Any piece of a {@link Word}. */
export type WordPart =
  | LiteralPart
  | ParamPart
  | CommandSubPart
  | ArithSubPart
  | ProcessSubPart
  | TildePart;

/**
 * Literal text after quote removal. `quoted` literals are never split,
 * globbed or brace-expanded and match themselves literally in patterns;
 * unquoted literals may contain glob, extglob and brace characters.
 * `$'...'` strings arrive here already decoded (ANSI-C escapes).
 */
export interface LiteralPart {
  /** Node kind. */
  type: "literal";
  /** The text, quotes removed. May be empty only when `quoted` (from `""`, `''`, `$''`). */
  value: string;
  /** Whether the text was quoted or backslash-escaped. */
  quoted: boolean;
  /** Where the text starts. */
  pos: Position;
}

/**
 * A parameter expansion: `$x`, `$1`, `$@`, `${x}`, `${x[i]}`, `${#x}`,
 * `${!x}`, `${!prefix*}`, `${!a[@]}` and every `${x<op>...}` form.
 *
 * How the flags combine:
 * - `${#x}` / `${#a[@]}`: `length: true`.
 * - `${!x}`: `indirect: true` (value of the variable named by `$x`).
 * - `${!a[@]}` / `${!a[*]}`: `indirect: true` with `index.type === "all"`
 *   and no `op` means the list of keys of `a` (bash's rule).
 * - `${!prefix*}` / `${!prefix@}`: `op.kind === "names"`.
 */
export interface ParamPart {
  /** Node kind. */
  type: "param";
  /**
   * The parameter: a variable name, a positional number (`"1"`, `"10"`)
   * or a special parameter (`"@"`, `"*"`, `"#"`, `"?"`, `"$"`, `"!"`, `"-"`, `"0"`).
   */
  name: string;
  /** Whether the expansion was inside double quotes (or a heredoc body). */
  quoted: boolean;
  /** Whether it was written with braces (`${x}` rather than `$x`). */
  braced: boolean;
  /** The subscript, for `${a[...]}`. */
  index?: ParamIndex;
  /** `${#x}`: the length instead of the value. */
  length?: boolean;
  /** `${!x...}`: indirection (see the interface doc for `${!a[@]}`). */
  indirect?: boolean;
  /** The operator, if any. */
  op?: ParamOp;
  /** Where the `$` is. */
  pos: Position;
}

/** The subscript of an array parameter or assignment. */
export type ParamIndex =
  | {
    /** `[@]` or `[*]`. */
    type: "all";
    /** `true` for `[*]`, `false` for `[@]`. */
    star: boolean;
  }
  | {
    /** `[expr]`. */
    type: "expr";
    /**
     * The subscript parsed as a word (quotes removed, expansions kept).
     * For indexed arrays the evaluator expands it and evaluates the result
     * arithmetically; for associative arrays the expansion is the key.
     */
    word: Word;
    /** The subscript's source text between the brackets. */
    text: string;
  };

/** The operator of a braced parameter expansion. */
export type ParamOp =
  | {
    /** `${x:-w}` `${x-w}` `${x:=w}` `${x=w}` `${x:?w}` `${x?w}` `${x:+w}` `${x+w}`. */
    kind: "default";
    /** The operator as written. */
    op: ":-" | "-" | ":=" | "=" | ":?" | "?" | ":+" | "+";
    /** The word (may have no parts, e.g. `${x:-}`). */
    word: Word;
  }
  | {
    /** `${x#p}` `${x##p}` `${x%p}` `${x%%p}`. */
    kind: "trim";
    /** The operator as written. */
    op: "#" | "##" | "%" | "%%";
    /** The pattern; quoted parts match literally. */
    pattern: Word;
  }
  | {
    /** `${x/p/r}` `${x//p/r}` `${x/#p/r}` `${x/%p/r}`. */
    kind: "replace";
    /** The operator as written. */
    op: "/" | "//" | "/#" | "/%";
    /** The pattern; quoted parts match literally. */
    pattern: Word;
    /** The replacement; absent when there was no second `/` (delete matches). */
    replacement?: Word;
  }
  | {
    /** `${x^p}` `${x^^p}` `${x,p}` `${x,,p}` and the toggling `${x~p}` `${x~~p}`. */
    kind: "case";
    /** The operator as written. */
    op: "^" | "^^" | "," | ",," | "~" | "~~";
    /** The optional pattern selecting which characters change. */
    pattern?: Word;
  }
  | {
    /** `${x:offset}` and `${x:offset:length}`. */
    kind: "substring";
    /** The offset, an arithmetic expression as a word (expand, then evaluate). */
    offset: Word;
    /** The length, an arithmetic expression as a word, if given. */
    length?: Word;
  }
  | {
    /** `${x@Q}` and the other `@` transformations. */
    kind: "transform";
    /** The transformation letter: `Q`, `E`, `P`, `A`, `K`, `a`, `U`, `u`, `L` or `k`. */
    op: string;
  }
  | {
    /** `${!prefix*}` / `${!prefix@}`: names of variables starting with `name`. */
    kind: "names";
    /** `true` for `*`, `false` for `@`. */
    star: boolean;
  }
  | {
    /**
     * Anything else inside `${...}`: bash accepts it when parsing and fails
     * with "bad substitution" only when it is expanded, so the parser does too.
     */
    kind: "bad";
    /** The source text between `${` and `}`. */
    text: string;
  };

/** A command substitution, `$(...)` or `` `...` ``. */
export interface CommandSubPart {
  /** Node kind. */
  type: "commandSub";
  /** The parsed commands. */
  script: Script;
  /** The source text between the delimiters (for backticks: after unescaping). */
  source: string;
  /** Whether it was written with backticks. */
  backtick: boolean;
  /** Whether it was inside double quotes (or a heredoc body). */
  quoted: boolean;
  /** Where the `$` or backtick is. */
  pos: Position;
}

/**
 * An arithmetic expansion `$((...))` (or legacy `$[...]`). `expr` is the
 * expression parsed like a double-quoted string: the evaluator expands its
 * parts to text, then evaluates that text as arithmetic.
 */
export interface ArithSubPart {
  /** Node kind. */
  type: "arith";
  /** The expression, as a word in double-quote-like mode. */
  expr: Word;
  /** The expression's source text between `$((` and `))`. */
  source: string;
  /** Whether it was inside double quotes (or a heredoc body). */
  quoted: boolean;
  /** Where the `$` is. */
  pos: Position;
}

/** A process substitution `<(...)` or `>(...)`. Always unquoted. */
export interface ProcessSubPart {
  /** Node kind. */
  type: "processSub";
  /** `<` reads from the commands' output, `>` writes to their input. */
  direction: "<" | ">";
  /** The parsed commands. */
  script: Script;
  /** The source text between the parentheses. */
  source: string;
  /** Always false. */
  quoted: false;
  /** Where the `<` or `>` is. */
  pos: Position;
}

/**
 * An unquoted tilde prefix: `~` or `~user` at the start of a word, or after
 * `=` or `:` in an assignment value. `~+` and `~-` have user `+` / `-`.
 */
export interface TildePart {
  /** Node kind. */
  type: "tilde";
  /** The login name after `~` (empty for plain `~`). */
  user: string;
  /** Always false. */
  quoted: false;
  /** Where the `~` is. */
  pos: Position;
}
