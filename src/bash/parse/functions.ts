/**
 * The top-level function definitions of a script.
 *
 * @module
 */

import type { FunctionDef, Script } from "./ast.ts";

/** Returns the function definitions that are top-level statements of `script`, in source order. */
export function topLevelFunctions(script: Script): FunctionDef[] {
  const out: FunctionDef[] = [];
  for (const st of script.body) {
    const pipes = [st.andOr.first, ...st.andOr.rest.map((r) => r.pipeline)];
    for (const p of pipes) {
      for (const cmd of p.commands) if (cmd.type === "FunctionDef") out.push(cmd);
    }
  }
  return out;
}
