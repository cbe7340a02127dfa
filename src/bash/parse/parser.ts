/**
 * The public entry point of the bash parser.
 *
 * @module
 */

import type { Script } from "./ast.ts";
import { BashLimitError, BashParserBugError, BashSyntaxError } from "../errors.ts";
import { Cursor } from "./_lex_cursor.ts";
import { parseWholeScript } from "./_commands.ts";

/** Options of {@link parseBash}. */
export interface ParseBashOptions {
  /**
   * Longest accepted input, in UTF-16 code units.
   * @default 4194304 (4 MiB)
   */
  maxLength?: number;
  /**
   * Deepest accepted nesting of commands, substitutions and quotes.
   * @default 200
   */
  maxDepth?: number;
  /**
   * Most words plus statements accepted (bounds the work and memory of one parse).
   * @default 200000
   */
  maxNodes?: number;
  /**
   * Refuse any carriage return (code `BASH_CARRIAGE_RETURN`), as hosts
   * that refuse Windows line endings do (bash itself reads `\r` as a
   * character of the word).
   * @default false
   */
  rejectCarriageReturn?: boolean;
  /**
   * Whether `shopt -s extglob` is in effect when the text starts (as for an
   * `eval` string); top-level `shopt` lines still change it as they go.
   * @default false
   */
  extglob?: boolean;
}

/** Default of {@link ParseBashOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 4 * 1024 * 1024;
/** Default of {@link ParseBashOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 200;
/** Default of {@link ParseBashOptions.maxNodes}. */
export const DEFAULT_MAX_NODES = 200_000;

/**
 * Parses bash source into a {@link Script}. Pure: no I/O. Throws only
 * {@link BashSyntaxError} (invalid bash, or a carriage return),
 * {@link BashLimitError} (input too large, too many words, or too deeply nested), and, for
 * a defect of the parser itself, {@link BashParserBugError}.
 *
 * @example
 * ```ts
 * import { parseBash } from "./parser.ts";
 * const script = parseBash("pkgname=foo\npackage() { install -Dm755 foo \"$pkgdir/usr/bin/foo\"; }\n");
 * console.log(script.body.length); // 2
 * ```
 */
export function parseBash(text: string, options: ParseBashOptions = {}): Script {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new BashLimitError(`input is ${text.length} characters, more than ${maxLength}`, 1, 1);
  }
  if (options.rejectCarriageReturn ?? false) {
    const cr = text.indexOf("\r");
    if (cr !== -1) {
      const before = text.slice(0, cr);
      const line = before.split("\n").length;
      const column = cr - before.lastIndexOf("\n");
      throw new BashSyntaxError(
        "carriage return (\\r) found; the file has Windows (CRLF) line endings",
        line,
        column,
        {
          code: "BASH_CARRIAGE_RETURN",
          hint: "convert the file to Unix line endings, e.g. with dos2unix",
        },
      );
    }
  }
  const c = new Cursor(text, { line: 1, column: 1, offset: 0 }, {
    value: 0,
    max: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    nodes: 0,
    maxNodes: options.maxNodes ?? DEFAULT_MAX_NODES,
  });
  c.extglob = options.extglob ?? false;
  try {
    return parseWholeScript(c, true);
  } catch (e) {
    if (e instanceof RangeError) {
      const p = c.pos(Math.min(c.i, text.length));
      throw new BashLimitError("nesting too deep for the parser's stack", p.line, p.column, {
        cause: e,
      });
    }
    if (e instanceof BashSyntaxError || e instanceof BashLimitError) throw e;
    throw new BashParserBugError(e);
  }
}
