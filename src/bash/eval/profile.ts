/**
 * The host profile: what the program that sources a script defines around
 * it, so the evaluator itself knows no host. A profile names the variables
 * the host or its environment give a value (and which of those values are
 * known), the names the host holds read-only, the functions the script must
 * not redefine, the host's own shell functions the script may call, and
 * the names a `${!prefix*}` could list, and whether it refuses a script
 * file with carriage returns.
 *
 * @module
 */

import type { Assignment } from "../parse/ast.ts";
import type { EvalContext } from "./context.ts";
import type { VarValue } from "./state.ts";

/**
 * What the host gives an unset variable: a value the script sees (`value`),
 * nothing (`unset`), or a value the evaluator cannot know (`unknown`: a
 * read is refused).
 */
export type HostVariable =
  | { readonly kind: "value"; readonly value: VarValue }
  | { readonly kind: "unset" }
  | { readonly kind: "unknown" };

/** A host function the script may call: gets the evaluator, the arguments and their raw words. */
export type HostBuiltin = (
  ec: EvalContext,
  args: string[],
  raw: (string | Assignment)[],
) => number;

/** What the host that sources a script defines around it. */
export interface HostProfile {
  /** The host's name, for messages (`makepkg`). */
  readonly host: string;
  /**
   * What a read of `name` sees when the script has not set it; `unset` and
   * `value` answers are recorded as environment reads, except for the
   * names of {@link localNames}.
   */
  hostVariable(name: string): HostVariable;
  /** Whether an unset `name` reads as empty without being an environment read (plain shell names). */
  localNames(name: string): boolean;
  /** Whether `${!prefix*}` could list a name the host or its environment define. */
  mayDefinePrefix(prefix: string): boolean;
  /** Names the host holds read-only or evaluates afterwards: assigning them is refused. */
  readonly protectedNames: ReadonlySet<string>;
  /** Functions of the host: a script that redefines one is refused. */
  readonly reservedFunctions: ReadonlySet<string>;
  /** The host's functions the script may call, run by the evaluator. */
  readonly builtins: Readonly<Record<string, HostBuiltin>>;
  /** Whether the host refuses a script file holding a carriage return (pass it to `parseBash`). */
  readonly rejectCarriageReturn: boolean;
}

/** A plain shell with an empty environment: every unset name reads as empty. */
export const BARE_PROFILE: HostProfile = {
  host: "the shell",
  hostVariable: () => ({ kind: "unset" }),
  localNames: () => true,
  mayDefinePrefix: () => false,
  protectedNames: new Set(),
  reservedFunctions: new Set(),
  builtins: {},
  rejectCarriageReturn: false,
};

/** The host builtin named `name`, never a property of `Object.prototype`. */
export function hostBuiltin(profile: HostProfile, name: string): HostBuiltin | undefined {
  return Object.hasOwn(profile.builtins, name) ? profile.builtins[name] : undefined;
}
