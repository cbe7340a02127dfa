/**
 * Helpers over the syntax tree that the PKGBUILD layer needs.
 *
 * @module
 */

import type { FunctionDef, Script } from "./ast.ts";

/** Returns the top-level function definitions of `script`, in source order. */
export function topLevelFunctions(script: Script): FunctionDef[] {
  const out: FunctionDef[] = [];
  for (const st of script.body) {
    const pipes = [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)];
    for (const p of pipes) for (const cmd of p.commands) if (cmd.type === "FunctionDef") out.push(cmd);
  }
  return out;
}
