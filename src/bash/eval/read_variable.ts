/**
 * Variable reads as the evaluator sees them: the script's bindings, then
 * what the host profile says of an unset name; a value the evaluation
 * cannot know is refused, or read as an unknown value where the read only
 * moves the text.
 *
 * @module
 */

import type { EvalContext } from "./context.ts";
import type { Evaluator } from "./evaluator.ts";
import { DYNAMIC_VARIABLES, type VarValue } from "./state.ts";

/**
 * Reads `name` for `ev`; an unset one reads as the host's environment gives
 * it. A value the evaluation cannot know (the running shell's, the host's
 * locals, the machine's) is refused, or with `opaque` read as an unknown
 * value (never under `set -u`: the variable may be unset).
 */
export function readVariable(ev: Evaluator, name: string, opaque: boolean): VarValue | undefined {
  if (ev.forbidden.has(name)) {
    const reason = `'${name}' is one of ${ev.profile.host}'s local variables here`;
    return unknownRead(ev, opaque, ev.unknowns.value(`variable '${name}'`, reason, ev.line));
  }
  if (DYNAMIC_VARIABLES.has(name)) {
    return unknownRead(ev, opaque, hostUnknownValue(ev, name) as string);
  }
  const found = ev.state.lookup(name);
  if (found) {
    const cause = found.variable.unknownCause;
    return cause === undefined ? found.variable.value : unknownRead(ev, opaque, cause);
  }
  const unknown = hostUnknownValue(ev, name);
  if (unknown !== undefined) {
    ev.environmentReads.add(name);
    return unknownRead(ev, opaque, unknown);
  }
  if (ev.state.knownUnset.has(name) || ev.profile.localNames(name)) return undefined;
  ev.environmentReads.add(name);
  const given = ev.profile.hostVariable(name);
  return given.kind === "value" ? given.value : undefined;
}

/**
 * The unknown value that stands for what the running shell or the host
 * gives `name` when the script has not bound it, or undefined when the
 * evaluation knows it (unset, a known host value).
 */
export function hostUnknownValue(ec: EvalContext, name: string): string | undefined {
  const construct = `variable '${name}'`;
  if (DYNAMIC_VARIABLES.has(name)) {
    return ec.unknowns.value(construct, `'${name}' is computed by the running shell`, ec.line);
  }
  if (ec.state.knownUnset.has(name) || ec.profile.localNames(name)) return undefined;
  if (ec.profile.hostVariable(name).kind !== "unknown") return undefined;
  return ec.unknowns.value(
    construct,
    `'${name}' is not set by the script; its value comes from ${ec.profile.host} or the environment`,
    ec.line,
  );
}

/** A read of an unknown value: refused, or with `opaque` the value (not under `set -u`: it may be unset). */
function unknownRead(ev: Evaluator, opaque: boolean, unknown: string): VarValue {
  if (!opaque || ev.state.options.nounset) ev.unknowns.require(unknown);
  return { kind: "scalar", value: unknown };
}
