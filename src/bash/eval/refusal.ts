/**
 * The signals the static bash evaluator raises when it stops: a refusal (the
 * input uses a construct whose result cannot be known without running it, or
 * that bash itself would reject) and a limit (the input needs more work than
 * the evaluator allows). The PKGBUILD layer turns them into its typed errors.
 *
 * @module
 */

/** The evaluator refuses a construct; `construct` names it, `line` is 1-based when known. */
export class EvalRefusal extends Error {
  /** A short name of the refused construct, e.g. `command substitution` or `external command 'sed'`. */
  readonly construct: string;
  /** The 1-based line of the refused construct, when known. */
  line: number | undefined;
  /** Creates a refusal; `reason` completes the sentence "refused: ...". */
  constructor(construct: string, reason: string, line?: number) {
    super(reason);
    this.name = "EvalRefusal";
    this.construct = construct;
    this.line = line;
  }
}

/** The evaluator exceeded one of its work bounds (steps, recursion, size). */
export class EvalLimit extends Error {
  /** Which bound was exceeded, e.g. `steps`. */
  readonly bound: string;
  /** The 1-based line where the bound was exceeded, when known. */
  line: number | undefined;
  /** Creates a limit error for `bound`. */
  constructor(bound: string, message: string, line?: number) {
    super(message);
    this.name = "EvalLimit";
    this.bound = bound;
    this.line = line;
  }
}

/** Throws an {@link EvalRefusal}. */
export function refuse(construct: string, reason?: string): never {
  throw new EvalRefusal(construct, reason ?? construct);
}

/** A command substitution (`$(...)`, not `$((`, or a backtick) in text bash evaluates again. */
const COMMAND_SUBSTITUTION = /\$\((?!\()|`/;

/**
 * Refuses `text` that bash evaluates again while it runs the script
 * (arithmetic, where variable contents are evaluated recursively; array
 * subscripts in declaration arguments, `unset` and indirect references)
 * when it holds a command substitution: bash would run that command.
 */
export function refuseHiddenCommand(text: string, where: string): void {
  if (COMMAND_SUBSTITUTION.test(text)) {
    refuse(
      `command substitution in ${where}`,
      `bash would run the command substitution in '${text}' while evaluating ${where}; ` +
        "the static evaluator never runs commands",
    );
  }
}

/** The work bounds of one evaluation. */
export interface EvalLimits {
  /** Maximum number of evaluation steps. @default 2000000 */
  readonly maxSteps: number;
  /** Maximum nesting of function calls, subshells and substitutions. @default 100 */
  readonly maxDepth: number;
  /** Maximum length of any string value, in UTF-16 code units. @default 16777216 */
  readonly maxStringLength: number;
  /** Maximum number of words one brace expansion or array may produce. @default 100000 */
  readonly maxWords: number;
}

/** The default {@link EvalLimits}. */
export const DEFAULT_LIMITS: EvalLimits = {
  maxSteps: 2_000_000,
  maxDepth: 100,
  maxStringLength: 16 * 1024 * 1024,
  maxWords: 100_000,
};

/** Counts work against {@link EvalLimits}; one instance per evaluation. */
export class Budget {
  /** The bounds enforced. */
  readonly limits: EvalLimits;
  /** Steps used so far. */
  steps = 0;
  /** Creates a budget with `limits`. */
  constructor(limits: EvalLimits = DEFAULT_LIMITS) {
    this.limits = limits;
  }
  /** Spends `n` steps; throws {@link EvalLimit} past the bound. */
  step(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new EvalLimit("steps", `the evaluation needs more than ${this.limits.maxSteps} steps`);
    }
  }
  /** Checks a string's length against the bound and returns it. */
  str(s: string): string {
    if (s.length > this.limits.maxStringLength) {
      throw new EvalLimit(
        "size",
        `a value is longer than ${this.limits.maxStringLength} characters`,
      );
    }
    return s;
  }
  /** Checks a word count against the bound. */
  words(n: number): void {
    if (n > this.limits.maxWords) {
      throw new EvalLimit("words", `an expansion produces more than ${this.limits.maxWords} words`);
    }
  }
}
