/**
 * The evaluator's shell state: variables with bash's dynamic scoping
 * (a global scope, the scope the host sources the script in, when it does
 * so from a function, and one scope per function call), attributes (`-a -A -i -l -u -r -x`),
 * functions, positional parameters and shell options.
 *
 * @module
 */

import type { FunctionDef } from "../parse/ast.ts";
import { refuse } from "./refusal.ts";
import { assocKeys, noteAssocCopy } from "./assoc_order.ts";
import { BARE_PROFILE, type HostProfile } from "./profile.ts";

/** The value of a variable. */
export type VarValue =
  | { readonly kind: "scalar"; value: string }
  | { readonly kind: "indexed"; values: Map<number, string> }
  | { readonly kind: "assoc"; values: Map<string, string> };

/** A variable binding in one scope. */
export interface Variable {
  /** The value; undefined when declared (`local x`, `declare -a x`) but unset. */
  value: VarValue | undefined;
  /** `declare -i`. */
  integer: boolean;
  /** `declare -l`. */
  lower: boolean;
  /** `declare -u`. */
  upper: boolean;
  /** `declare -r`. */
  readonly: boolean;
  /** `declare -a` / `-A` given without a value. */
  arrayKind?: "indexed" | "assoc";
  /** An unknown value standing for the whole variable (`PATH+=:x`, `a=($HOME)`) until a whole assignment. */
  unknownCause?: string;
}

/** One scope: the global one, the sourcing function's, or a function call's. */
export interface Scope {
  /** The bindings of this scope. */
  readonly vars: Map<string, Variable>;
  /** The positional parameters visible in this scope. */
  positional: string[] | undefined;
  /** The positional parameters are the host's own (unknown to the script): reads are refused. */
  unknownPositional?: boolean;
}

/** Variables bash computes on every read (or keeps read-only): reading them is always refused. */
export const DYNAMIC_VARIABLES: ReadonlySet<string> = new Set([
  "RANDOM",
  "SRANDOM",
  "SECONDS",
  "EPOCHSECONDS",
  "EPOCHREALTIME",
  "BASHPID",
  "LINENO",
  "BASH_COMMAND",
  "FUNCNAME",
  "BASH_SOURCE",
  "BASH_LINENO",
  "PIPESTATUS",
  "HISTCMD",
  "BASH_SUBSHELL",
  "BASH_ARGV",
  "BASH_ARGC",
  "BASH_ARGV0",
  "DIRSTACK",
  "GROUPS",
  "PPID",
  "UID",
  "EUID",
  "OPTIND",
  "OPTARG",
  "PWD",
  "OLDPWD",
  "SHLVL",
  "HOSTNAME",
  "BASH_VERSION",
  "BASH_VERSINFO",
  "BASHOPTS",
  "SHELLOPTS",
  "BASH_ALIASES",
  "BASH_CMDS",
  "COLUMNS",
  "LINES",
  "BASH",
  "HOSTTYPE",
  "MACHTYPE",
  "OSTYPE",
  "OPTERR",
  "PS2",
  "PS4",
  "BASH_EXECUTION_STRING",
  "COMP_WORDBREAKS",
  "HISTFILESIZE",
  "HISTSIZE",
  "MAILCHECK",
]);

/**
 * Variables bash itself runs or sources (prompt and trace strings with
 * command substitutions, `PROMPT_COMMAND`, `BASH_ENV`/`ENV` for child
 * shells) or that switch shell options (`SHELLOPTS`, `BASHOPTS`): a script
 * that sets one could make bash run a command, so assigning is refused.
 */
export const HOOK_VARIABLES: ReadonlySet<string> = new Set([
  "PS0",
  "PS1",
  "PS2",
  "PS3",
  "PS4",
  "PROMPT_COMMAND",
  "BASH_ENV",
  "ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "BASH_XTRACEFD",
  "BASH_LOADABLES_PATH",
  "EXECIGNORE",
  "GLOBIGNORE",
  "BASH_COMPAT",
  "POSIXLY_CORRECT",
]);

function refuseProtected(host: StateHost, name: string): void {
  if (HOOK_VARIABLES.has(name)) {
    refuse(
      `assignment to '${name}'`,
      `'${name}' is a hook or option variable of bash: setting it could make bash run a command or change how the script runs`,
    );
  }
  if (host.protectedNames.has(name)) {
    refuse(
      `assignment to '${name}'`,
      `'${name}' belongs to ${host.host} while it sources the script (read-only or evaluated by ${host.host})`,
    );
  }
}

/** What the state needs of the host profile: its name and the names it protects. */
export type StateHost = Pick<HostProfile, "host" | "protectedNames">;

/** Creates a fresh binding with no attributes. */
export function newVariable(value: VarValue | undefined): Variable {
  return { value, integer: false, lower: false, upper: false, readonly: false };
}

/** Copies a value (maps are copied, strings are immutable). */
export function cloneValue(v: VarValue): VarValue {
  if (v.kind === "scalar") return { kind: "scalar", value: v.value };
  if (v.kind === "indexed") return { kind: "indexed", values: new Map(v.values) };
  const values = new Map(v.values);
  noteAssocCopy(v.values, values);
  return { kind: "assoc", values };
}

/** Copies a binding. */
export function cloneVariable(v: Variable): Variable {
  return { ...v, value: v.value ? cloneValue(v.value) : undefined };
}

/** The shell options the evaluator models. */
export interface ShellOptions {
  /** `shopt extglob`. */
  extglob: boolean;
  /** `shopt nullglob`. */
  nullglob: boolean;
  /** `set -f`. */
  noglob: boolean;
  /** `shopt nocasematch`. */
  nocasematch: boolean;
  /** `set -u`: expanding an unset variable is an error (the evaluator refuses it). */
  nounset: boolean;
}

/** The whole mutable state of one evaluation. */
export class ShellState {
  /** Scopes, outermost (global) first. */
  scopes: Scope[];
  /** Defined functions by name. */
  functions: Map<string, FunctionDef>;
  /** Names of global variables the script assigned (for the metadata model). */
  readonly assignedGlobals: Set<string>;
  /** Function names in definition order (re-definition keeps the first position). */
  readonly functionOrder: string[];
  /** Shell options. */
  options: ShellOptions;
  /** The exit status of the last command (`$?`). */
  status = 0;
  /** Names the script unset that the host or the environment might have set: they read as empty. */
  knownUnset: Set<string> = new Set();

  /** The host's name and the names it protects. */
  readonly host: StateHost;

  /** Creates a state with a global scope; `host` names the variables assignments may not touch. */
  constructor(host: StateHost = BARE_PROFILE) {
    this.host = host;
    this.scopes = [{ vars: new Map(), positional: [], unknownPositional: true }];
    this.functions = new Map();
    this.assignedGlobals = new Set();
    this.functionOrder = [];
    this.options = {
      extglob: false,
      nullglob: false,
      noglob: false,
      nocasematch: false,
      nounset: false,
    };
  }

  /** Sets a global scalar the host defines before the script runs (no attributes). */
  setGlobal(name: string, value: string): void {
    this.global.vars.set(name, newVariable({ kind: "scalar", value }));
  }

  /** The value of the global `name`, undefined when unset. */
  globalValue(name: string): VarValue | undefined {
    return this.global.vars.get(name)?.value;
  }

  /** The innermost scope. */
  get current(): Scope {
    return this.scopes[this.scopes.length - 1];
  }

  /** The global scope. */
  get global(): Scope {
    return this.scopes[0];
  }

  /** True when the positional parameters in effect are the host's own. */
  get positionalUnknown(): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].positional) return this.scopes[i].unknownPositional === true;
    }
    return true;
  }

  /** Replaces the positional parameters in effect (`set --`). */
  setPositional(args: string[]): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].positional) {
        this.scopes[i].positional = args;
        this.scopes[i].unknownPositional = false;
        return;
      }
    }
  }

  /** The positional parameters in effect. */
  get positional(): string[] {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const p = this.scopes[i].positional;
      if (p) return p;
    }
    return [];
  }

  /** Finds the visible binding of `name` and its scope index. */
  lookup(name: string): { variable: Variable; scope: number } | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].vars.get(name);
      if (v) return { variable: v, scope: i };
    }
    return undefined;
  }

  /** The visible value of `name`, undefined when unset. */
  get(name: string): VarValue | undefined {
    return this.lookup(name)?.variable.value;
  }

  /**
   * The binding an assignment to `name` writes: the visible one, or a new
   * global one (bash's rule for assignments without `local`).
   */
  bindingForWrite(name: string): Variable {
    refuseProtected(this.host, name);
    const found = this.lookup(name);
    if (found) {
      if (found.variable.readonly) {
        refuse("readonly variable", `assignment to the readonly variable '${name}' fails in bash`);
      }
      if (found.scope === 0) this.assignedGlobals.add(name);
      return found.variable;
    }
    const v = newVariable(undefined);
    this.global.vars.set(name, v);
    this.assignedGlobals.add(name);
    return v;
  }

  /** Declares `name` in the current scope (`local`, `declare` in a function). */
  declareLocal(name: string): Variable {
    refuseProtected(this.host, name);
    const scope = this.current;
    let v = scope.vars.get(name);
    if (!v) {
      v = newVariable(undefined);
      scope.vars.set(name, v);
    } else if (v.readonly) {
      refuse("readonly variable", `redeclaring the readonly variable '${name}' fails in bash`);
    }
    if (this.scopes.length === 1) this.assignedGlobals.add(name);
    return v;
  }

  /** Declares `name` in the global scope (`declare -g`). */
  declareGlobal(name: string): Variable {
    refuseProtected(this.host, name);
    let v = this.global.vars.get(name);
    if (!v) {
      v = newVariable(undefined);
      this.global.vars.set(name, v);
    } else if (v.readonly) {
      refuse("readonly variable", `redeclaring the readonly variable '${name}' fails in bash`);
    }
    this.assignedGlobals.add(name);
    return v;
  }

  /** `unset -v name`: bash's rules for locals of the current and calling scopes. */
  unset(name: string): void {
    refuseProtected(this.host, name);
    const found = this.lookup(name);
    if (!found) {
      this.knownUnset.add(name);
      return;
    }
    if (found.variable.readonly) {
      refuse("readonly variable", `unsetting the readonly variable '${name}' fails in bash`);
    }
    const top = this.scopes.length - 1;
    if (found.scope === top && top > 0) {
      found.variable.value = undefined;
      found.variable.arrayKind = undefined;
      found.variable.integer = found.variable.lower = found.variable.upper = false;
    } else {
      this.scopes[found.scope].vars.delete(name);
    }
  }

  /** Defines (or redefines) a function. */
  defineFunction(fn: FunctionDef): void {
    if (!this.functions.has(fn.name)) this.functionOrder.push(fn.name);
    this.functions.set(fn.name, fn);
  }

  /** Removes a function. */
  unsetFunction(name: string): void {
    this.functions.delete(name);
    const i = this.functionOrder.indexOf(name);
    if (i >= 0) this.functionOrder.splice(i, 1);
  }

  /** A deep copy (for subshells and command substitutions). */
  clone(): ShellState {
    const s = new ShellState(this.host);
    s.scopes = this.scopes.map((sc) => ({
      vars: new Map([...sc.vars].map(([k, v]) => [k, cloneVariable(v)])),
      positional: sc.positional ? [...sc.positional] : undefined,
      unknownPositional: sc.unknownPositional,
    }));
    s.functions = new Map(this.functions);
    for (const n of this.assignedGlobals) s.assignedGlobals.add(n);
    s.functionOrder.push(...this.functionOrder);
    s.options = { ...this.options };
    s.status = this.status;
    s.knownUnset = new Set(this.knownUnset);
    return s;
  }
}

/** The elements of a value in bash's order (`"${a[@]}"`). */
export function valueElements(v: VarValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return [v.value];
  if (v.kind === "indexed") {
    return [...v.values.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }
  return assocKeys(v.values).map((k) => v.values.get(k)!);
}

/** The keys of a value in bash's order (`"${!a[@]}"`). */
export function valueKeys(v: VarValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === "scalar") return ["0"];
  if (v.kind === "indexed") return [...v.values.keys()].sort((a, b) => a - b).map(String);
  return assocKeys(v.values);
}
