/**
 * Variable reads as the evaluator sees them: the script's bindings, then
 * what the host profile says of an unset name; a value the evaluation
 * cannot know is refused, or read as an unknown value where the read only
 * moves the text.
 *
 * @module
 */

import type { Evaluator } from "./evaluator.ts";
import { refuse } from "./refusal.ts";
import { DYNAMIC_VARIABLES, type VarValue } from "./state.ts";

/**
 * Reads `name` for `ev`; an unset one reads as the host's environment gives
 * it. A value the evaluation cannot know (the running shell's, the host's
 * locals, the machine's) is refused, or with `opaque` read as an unknown
 * value (never under `set -u`: the variable may be unset).
 */
export function readVariable(ev: Evaluator, name: string, opaque: boolean): VarValue | undefined {
  const host = ev.profile.host;
  if (ev.forbidden.has(name)) {
    return unknownRead(ev, opaque, name, `'${name}' is one of ${host}'s local variables here`);
  }
  if (DYNAMIC_VARIABLES.has(name)) {
    return unknownRead(ev, opaque, name, `'${name}' is computed by the running shell`);
  }
  const found = ev.state.lookup(name);
  if (found) return found.variable.value;
  if (ev.state.knownUnset.has(name) || ev.profile.localNames(name)) return undefined;
  const given = ev.profile.hostVariable(name);
  if (given.kind === "unknown") {
    const value = unknownRead(
      ev,
      opaque,
      name,
      `'${name}' is not set by the script; its value comes from ${host} or the environment`,
    );
    ev.environmentReads.add(name);
    return value;
  }
  ev.environmentReads.add(name);
  return given.kind === "value" ? given.value : undefined;
}

function unknownRead(ev: Evaluator, opaque: boolean, name: string, reason: string): VarValue {
  const construct = `variable '${name}'`;
  if (!opaque || ev.state.options.nounset) refuse(construct, reason);
  return { kind: "scalar", value: ev.unknowns.value(construct, reason, ev.line) };
}
