/**
 * Redirections the evaluator supports: here-strings and heredocs as
 * standard input, `/dev/null`, `/dev/stderr` and `>&2` as discarded
 * output, `2>&1`; anything that reads or writes a file is refused.
 *
 * @module
 */

import type { Redirect } from "../parse/ast.ts";
import type { Evaluator } from "./evaluator.ts";
import { refuse } from "./refusal.ts";
import { expandScalar } from "../expand/word.ts";

/** Applies one redirection to the evaluator's standard input and output. */
export function applyRedirect(ev: Evaluator, r: Redirect): void {
  ev.line = r.pos.line;
  if (r.fdVar !== undefined) {
    refuse("redirection {var}>", "a redirection that allocates a file descriptor");
  }
  const fd = r.fd ?? (r.op.startsWith("<") ? 0 : 1);
  switch (r.op) {
    case "<<":
    case "<<-": {
      const hd = r.heredoc;
      if (!hd) refuse("heredoc", "a heredoc without a body");
      if (fd !== 0) refuse("heredoc", "a heredoc on a descriptor other than 0");
      ev.stdin = hd.quoted ? hd.text : expandScalar(ev, hd.body);
      return;
    }
    case "<<<":
      if (fd !== 0) refuse("here-string", "a here-string on a descriptor other than 0");
      ev.stdin = expandScalar(ev, r.target) + "\n";
      return;
  }
  const target = ev.unknowns.require(expandScalar(ev, r.target));
  if (r.op === ">&" || r.op === "<&") {
    if (target === "2" && fd === 1) {
      ev.out = "discard";
      return;
    }
    if ((target === "1" && fd === 2) || (target === "2" && fd === 2)) return;
    if (target === "1" && fd === 1) return;
    refuse(
      `redirection ${r.op}${target}`,
      `the redirection ${fd}${r.op}${target} is not supported`,
    );
  }
  if ((target === "/dev/stderr" || target === "/dev/stdout") && r.op !== "<" && r.op !== "<>") {
    if (target === "/dev/stderr" && (fd === 1 || r.op === "&>" || r.op === "&>>")) {
      ev.out = "discard";
    }
    return;
  }
  if (target !== "/dev/null") {
    refuse(
      `redirection ${r.op} ${target}`,
      `the redirection ${r.op} '${target}' reads or writes a file`,
    );
  }
  if (r.op === "<") {
    if (fd === 0) ev.stdin = "";
    return;
  }
  if (r.op === "<>") refuse("redirection <>", "the redirection <> opens a file");
  if (r.op === "&>" || r.op === "&>>" || fd === 1) ev.out = "discard";
}
