/**
 * Variable assignment with bash's rules: scalars, `+=`, elements
 * (`a[i]=`), array literals (`a=(...)`, `a+=(...)`, `[k]=v`), associative
 * arrays, and the `-i`, `-l`, `-u` attributes, into the right scope.
 *
 * @module
 */

import type { Assignment, Word } from "../parse/ast.ts";
import { expandList, expandScalar } from "../expand/word.ts";
import type { EvalContext } from "./context.ts";
import { refuse, refuseHiddenCommand } from "./refusal.ts";
import type { Variable } from "./state.ts";
import { hostUnknownValue } from "./read_variable.ts";
import { noteAssocFlush, noteAssocSet } from "./assoc_order.ts";

/** Which binding an assignment writes: the visible one, a local, or a global. */
export type AssignScope = "normal" | "local" | "global";

/** One element of an array literal after expansion. */
export interface ArrayItem {
  /** The `[key]` text (already expanded), when given. */
  key?: string;
  /** The value. */
  value: string;
  /** `[k]+=v`. */
  append?: boolean;
}

/** A value to assign. */
export type NewValue = { scalar: string } | { array: ArrayItem[] };

/** Options of {@link assignValue}. */
export interface AssignOptions {
  /** `name[subscript]=`: a word to expand or raw text. */
  subscript?: Word | string;
  /** `+=`. */
  append: boolean;
  /** The binding to write. */
  scope: AssignScope;
  /** The subscript is raw arithmetic text (from arithmetic assignment). */
  raw?: boolean;
}

/** The binding an assignment in `scope` writes. */
export function bindingFor(ec: EvalContext, name: string, scope: AssignScope): Variable {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    refuse("invalid variable name", `'${name}' is not a valid variable name`);
  }
  if (scope === "local") return ec.state.declareLocal(name);
  const exists = scope === "global"
    ? ec.state.global.vars.has(name)
    : ec.state.lookup(name) !== undefined;
  const b = scope === "global" ? ec.state.declareGlobal(name) : ec.state.bindingForWrite(name);
  // a new binding of a name the host gives an unknown value keeps that value in effect
  const unknown = exists ? undefined : hostUnknownValue(ec, name);
  if (unknown !== undefined) b.unknownCause = unknown;
  return b;
}

function convert(ec: EvalContext, b: Variable, v: string, old: string | undefined): string {
  let out = v;
  if (b.integer) {
    const n = ec.arith(v);
    out = (old !== undefined ? ec.arith(old === "" ? "0" : old) + n : n).toString();
    out = BigInt.asIntN(64, BigInt(out)).toString();
  } else if (old !== undefined) out = old + v;
  if (b.lower || b.upper) ec.unknowns.require(out);
  if (b.lower) out = asciiCase(out, false);
  if (b.upper) out = asciiCase(out, true);
  return ec.budget.str(out);
}

function asciiCase(s: string, upper: boolean): string {
  if (/[\u0080-\uffff]/.test(s)) {
    refuse("case attribute on non-ASCII text", "declare -l/-u on non-ASCII text");
  }
  return upper ? s.toUpperCase() : s.toLowerCase();
}

function maxIndex(m: Map<number, string>): number {
  let max = -1;
  for (const k of m.keys()) if (k > max) max = k;
  return max;
}

function indexOf(ec: EvalContext, m: Map<number, string>, text: string): number {
  let i = Number(ec.arith(text));
  if (i < 0) {
    ec.budget.step(1 + (m.size >> 4));
    i = maxIndex(m) + 1 + i;
    if (i < 0) refuse("bad array subscript", "a negative array subscript before the first element");
  }
  if (!Number.isSafeInteger(i) || i > 2 ** 40) {
    refuse("array subscript", "an array subscript this large");
  }
  return i;
}

/** Assigns `value` to `name` following bash's rules. */
export function assignValue(
  ec: EvalContext,
  name: string,
  value: NewValue,
  opts: AssignOptions,
): void {
  const b = bindingFor(ec, name, opts.scope);
  ec.budget.step();
  // an assignment of the whole value replaces the host's unknown one
  if (!opts.append && opts.subscript === undefined) delete b.unknownCause;
  if ("array" in value) return assignArray(ec, b, value.array, opts.append);
  if (opts.subscript !== undefined) {
    if (typeof opts.subscript === "string") refuseHiddenCommand(opts.subscript, "a subscript");
    const subText = typeof opts.subscript === "string"
      ? opts.subscript
      : expandScalar(ec, opts.subscript);
    if (b.value?.kind === "assoc" || (!b.value && b.arrayKind === "assoc")) {
      if (!b.value) b.value = { kind: "assoc", values: new Map() };
      const m = (b.value as { values: Map<string, string> }).values;
      ec.unknowns.require(subText);
      m.set(subText, convert(ec, b, value.scalar, opts.append ? m.get(subText) ?? "" : undefined));
      noteAssocSet(m, subText);
      return;
    }
    if (!b.value) b.value = { kind: "indexed", values: new Map() };
    if (b.value.kind === "scalar") {
      b.value = { kind: "indexed", values: new Map([[0, b.value.value]]) };
    }
    const m = (b.value as { values: Map<number, string> }).values;
    const i = indexOf(ec, m, subText);
    m.set(i, convert(ec, b, value.scalar, opts.append ? m.get(i) ?? "" : undefined));
    return;
  }
  const v = b.value;
  if (!v) {
    const s = convert(ec, b, value.scalar, undefined);
    if (b.arrayKind === "indexed") b.value = { kind: "indexed", values: new Map([[0, s]]) };
    else if (b.arrayKind === "assoc") b.value = { kind: "assoc", values: new Map([["0", s]]) };
    else b.value = { kind: "scalar", value: s };
    return;
  }
  if (v.kind === "scalar") {
    v.value = convert(ec, b, value.scalar, opts.append ? v.value : undefined);
  } else if (v.kind === "indexed") {
    v.values.set(0, convert(ec, b, value.scalar, opts.append ? v.values.get(0) ?? "" : undefined));
  } else {
    v.values.set(
      "0",
      convert(ec, b, value.scalar, opts.append ? v.values.get("0") ?? "" : undefined),
    );
    noteAssocSet(v.values, "0");
  }
}

function assignArray(ec: EvalContext, b: Variable, items: ArrayItem[], append: boolean): void {
  const assoc = b.value?.kind === "assoc" || (!b.value && b.arrayKind === "assoc");
  ec.budget.words(items.length);
  if (assoc) {
    const m = append && b.value?.kind === "assoc" ? b.value.values : new Map<string, string>();
    if (!append || b.value?.kind !== "assoc") {
      noteAssocFlush(b.value?.kind === "assoc" ? b.value.values : undefined, m);
    }
    for (const it of items) {
      if (it.key === undefined) {
        refuse("associative array literal", "an associative array literal without [key]= elements");
      }
      ec.unknowns.require(it.key);
      m.set(it.key, convert(ec, b, it.value, it.append ? m.get(it.key) ?? "" : undefined));
      noteAssocSet(m, it.key);
    }
    b.value = { kind: "assoc", values: m };
    return;
  }
  let m: Map<number, string>;
  if (append && b.value?.kind === "indexed") m = b.value.values;
  else if (append && b.value?.kind === "scalar") m = new Map([[0, b.value.value]]);
  else m = new Map();
  ec.budget.step(1 + (m.size >> 4));
  let next = append ? maxIndex(m) + 1 : 0;
  for (const it of items) {
    ec.budget.step();
    if (it.key !== undefined) next = indexOf(ec, m, it.key);
    m.set(next, convert(ec, b, it.value, it.append ? m.get(next) ?? "" : undefined));
    next++;
  }
  b.value = { kind: "indexed", values: m };
}

/** An assignment's value, expanded (bash expands it before a declaration creates the variable). */
export type ExpandedValue =
  | { readonly array: ArrayItem[]; readonly unknown?: string }
  | { readonly scalar: string };

/** Expands the value of an assignment node. */
export function expandAssignment(ec: EvalContext, a: Assignment): ExpandedValue {
  ec.line = a.pos.line;
  if (a.index?.type === "all") {
    refuse("array assignment", `assigning to ${a.name}[@] fails in bash`);
  }
  if (a.value.type !== "ArrayLiteral") return { scalar: expandScalar(ec, a.value) };
  if (a.index) refuse("array assignment", "assigning a list to an array element fails in bash");
  const items: ArrayItem[] = [];
  let unknown: string | undefined;
  for (const el of a.value.elements) {
    if (el.type === "KeyedElement") {
      if (el.key.type !== "expr") refuse("array assignment", "[@]= inside an array literal");
      items.push({
        key: expandScalar(ec, el.key.word),
        value: expandScalar(ec, el.value),
        append: el.append,
      });
    } else {
      for (const v of expandList(ec, el, (u) => unknown ??= u)) items.push({ value: v });
    }
  }
  return unknown === undefined ? { array: items } : { array: items, unknown };
}

/** Assigns the expanded `value` of the assignment node `a` in `scope`. */
export function assignExpanded(
  ec: EvalContext,
  a: Assignment,
  value: ExpandedValue,
  scope: AssignScope,
): void {
  ec.line = a.pos.line;
  if ("array" in value) {
    assignValue(ec, a.name, { array: value.array }, { append: a.append, scope });
    // an unknown value split into the list: how many elements, and which, is unknown
    const b = value.unknown === undefined ? undefined : ec.state.lookup(a.name)?.variable;
    if (b) b.unknownCause = value.unknown;
    return;
  }
  const subscript = a.index?.type === "expr" ? a.index.word : undefined;
  assignValue(ec, a.name, { scalar: value.scalar }, { subscript, append: a.append, scope });
}

/** Evaluates an assignment node (`x=..`, `a[i]=..`, `a=(..)`, `+=`) in `scope`. */
export function assignNode(ec: EvalContext, a: Assignment, scope: AssignScope): void {
  assignExpanded(ec, a, expandAssignment(ec, a), scope);
}
