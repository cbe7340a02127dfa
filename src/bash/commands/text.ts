/**
 * The coreutils text commands the evaluator runs itself, reading only their
 * arguments and standard input (a pipe, a here-string or a heredoc), never a
 * file: `tr`, `cut`, `seq`, `head` and `tail`, as in
 * `_pkgname=$(echo $pkgname | tr '[:upper:]' '[:lower:]')`. Each lives in its
 * own module; a file operand, an option the module does not support and
 * non-ASCII text where bytes would matter are refused.
 *
 * @module
 */

import type { PureCommand } from "./pure.ts";
import { cutCommand } from "./cut.ts";
import { headCommand, tailCommand } from "./head_tail.ts";
import { seqCommand } from "./seq.ts";
import { trCommand } from "./tr.ts";

/** The text commands by name, spread into the pure commands. */
export const TEXT_COMMANDS: Record<string, PureCommand> = {
  cut: cutCommand,
  head: headCommand,
  seq: seqCommand,
  tail: tailCommand,
  tr: trCommand,
};
