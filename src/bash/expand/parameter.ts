/**
 * Parameter expansion: `$x`, `${x}`, arrays and subscripts, `$@`/`$*`,
 * indirection, `${!prefix*}`, `${!a[@]}`, lengths, defaults, pattern
 * removal and substitution, case modification, substrings and the `@`
 * transformations, with bash's quoting and field rules.
 *
 * @module
 */

import type { ParamIndex, ParamPart, Word } from "../parse/ast.ts";
import { type ExpandMode, expandParts, expandPattern, type Field, ifsOf } from "./word.ts";
import type { EvalContext } from "../eval/context.ts";
import { refuse, refuseHiddenCommand } from "../eval/refusal.ts";
import { type CaseOp, modifyCase, removePrefix, removeSuffix, substitute } from "./pattern_ops.ts";
import type { Replacement, SubstMode } from "./pattern_ops.ts";
import { valueElements, valueKeys, type VarValue } from "../eval/state.ts";
import {
  applySubstring,
  applyTransform,
  type Base,
  joinScalar,
  refuseNonAscii,
} from "./parameter_ops.ts";

export function expandParam(ec: EvalContext, part: ParamPart, mode: ExpandMode): Field[] {
  if (part.length && part.index?.type === "all" && !part.indirect && !part.op) {
    if (/^[A-Za-z_]/.test(part.name)) {
      const v = ec.unsetUnderNounset(part.name, ec.readVar(part.name));
      const n = !v ? 0 : v.kind === "scalar" ? 1 : v.values.size;
      return scalarField(String(n), part.quoted);
    }
  }
  const base = resolveBase(ec, part);
  const op = part.op;
  // an operator or a length looks at the value (and whether it is set): never at an unknown one
  if (op || part.length) ec.unknowns.requireAll(base.values);
  if (!base.set && op?.kind !== "default" && !/^[@*#]$/.test(part.name)) {
    ec.unsetUnderNounset(part.name, undefined);
  }
  if (part.length) {
    if (op) refuse("bad substitution", "bad substitution");
    if (base.list) return scalarField(String(base.values.length), part.quoted);
    const s = base.values[0] ?? "";
    refuseNonAscii(s, "the length");
    return scalarField(String(s.length), part.quoted);
  }
  if (!op) return finish(ec, base, part.quoted, mode);
  switch (op.kind) {
    case "default":
      return applyDefault(ec, part, base, op.op, op.word, mode);
    case "trim": {
      const pat = expandPattern(ec, op.pattern);
      const ext = ec.state.options.extglob;
      base.values = base.values.map((v) =>
        op.op[0] === "#"
          ? removePrefix(v, pat, op.op === "##", ext, ec.budget)
          : removeSuffix(v, pat, op.op === "%%", ext, ec.budget)
      );
      return finish(ec, base, part.quoted, mode);
    }
    case "replace": {
      const pat = expandPattern(ec, op.pattern);
      const rep = op.replacement ? expandReplacement(ec, op.replacement) : [];
      const smode: SubstMode = op.op === "/"
        ? "first"
        : op.op === "//"
        ? "all"
        : op.op === "/#"
        ? "prefix"
        : "suffix";
      const ext = ec.state.options.extglob;
      base.values = base.values.map((v) => substitute(v, pat, rep, smode, ext, ec.budget));
      return finish(ec, base, part.quoted, mode);
    }
    case "case": {
      const pat = op.pattern ? expandPattern(ec, op.pattern) : "";
      const ext = ec.state.options.extglob;
      base.values = base.values.map((v) => modifyCase(v, op.op as CaseOp, pat, ext));
      return finish(ec, base, part.quoted, mode);
    }
    case "substring":
      applySubstring(ec, base, op.offset, op.length, part);
      return finish(ec, base, part.quoted, mode);
    case "transform":
      applyTransform(base, op.op);
      return finish(ec, base, part.quoted, mode);
    case "names":
      return namesOf(ec, part, op.star, mode);
    case "bad":
      refuse("bad substitution", `\${${op.text}} is a bad substitution in bash`);
  }
  refuse("parameter expansion", "unsupported parameter expansion");
}

function scalarField(text: string, quoted: boolean): Field[] {
  return [[{ text, quoted, split: !quoted }]];
}

/** Turns the (possibly modified) base into fields. */
function finish(ec: EvalContext, base: Base, quoted: boolean, mode: ExpandMode): Field[] {
  if (!base.list) return scalarField(base.values[0] ?? "", quoted);
  if (base.star && (quoted || mode !== "list")) {
    const ifs = ifsOf(ec);
    const sep = ec.state.get("IFS") === undefined ? " " : ifs.slice(0, 1);
    return scalarField(base.values.join(sep), quoted);
  }
  return base.values.map((v) => [{ text: v, quoted, split: !quoted }]);
}

function topLevelPositional(ec: EvalContext): boolean {
  return ec.state.positionalUnknown;
}

function positionalBase(ec: EvalContext, name: string): Base {
  if (topLevelPositional(ec)) {
    refuse(
      `positional parameter $${name}`,
      `$${name} at the top level is ${ec.profile.host}'s own argument`,
    );
  }
  const pos = ec.state.positional;
  if (name === "@" || name === "*") {
    return { values: [...pos], set: pos.length > 0, list: true, star: name === "*" };
  }
  if (name === "#") return { values: [String(pos.length)], set: true, list: false, star: false };
  if (name === "0") refuse("$0", `$0 is the path of ${ec.profile.host}`);
  const n = Number(name);
  const v = pos[n - 1];
  return { values: [v ?? ""], set: v !== undefined, list: false, star: false };
}

/** Parses `name`, `name[sub]`, a positional or special name (the target of `${!ref}`). */
function parseRef(ref: string): { name: string; sub?: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(ref);
  if (m) {
    if (m[2] !== undefined) refuseHiddenCommand(m[2], "an indirect reference");
    return { name: m[1], sub: m[2] };
  }
  if (/^([0-9]+|[@*#?])$/.test(ref)) return { name: ref };
  refuse("indirect expansion", `\${!ref} names '${ref}', which is not a valid parameter name`);
}

function resolveBase(ec: EvalContext, part: ParamPart): Base {
  let name = part.name;
  let index = part.index;
  let subText: string | undefined;
  if (part.indirect && !(part.op?.kind === "names")) {
    if (index?.type === "all" && !part.op) {
      const v = readNamed(ec, name);
      return { values: valueKeys(v), set: v !== undefined, list: true, star: index.star };
    }
    if (index?.type === "all" && part.op) {
      refuse("indirect expansion", "${!a[@]} with an operator");
    }
    const target = ec.unknowns.require(scalarOf(ec, part.name, index));
    const ref = parseRef(target);
    name = ref.name;
    index = undefined;
    subText = ref.sub;
    if (subText !== undefined) {
      if (/[`$]/.test(subText)) {
        refuse("indirect expansion", "an indirect subscript with expansions");
      }
      if (subText === "@" || subText === "*") index = { type: "all", star: subText === "*" };
    }
  }
  if (/^([0-9]+|[@*#])$/.test(name)) return positionalBase(ec, name);
  if (name === "?") {
    const status = ec.unknowns.statusText(ec.state.status);
    return { values: [status], set: true, list: false, star: false };
  }
  // a plain `$name` only moves the value: one the evaluation cannot know reads as unknown
  const plain = !part.indirect && !part.op && !part.length && index === undefined;
  if (/^[$!\-_]$/.test(name)) {
    const construct = `special parameter $${name}`;
    const reason = `$${name} depends on the running shell`;
    if (!plain || ec.state.options.nounset) refuse(construct, reason);
    const value = ec.unknowns.value(construct, reason, ec.line);
    return { values: [value], set: true, list: false, star: false };
  }
  const v = ec.readVar(name, plain);
  if (index?.type === "all") {
    if (v && v.kind !== "scalar") ec.budget.step(1 + (v.values.size >> 4));
    return {
      values: valueElements(v),
      set: v !== undefined,
      list: true,
      star: index.star,
      name,
      array: v,
    };
  }
  if (index?.type === "expr" || subText !== undefined) {
    const el = elementOf(ec, v, index?.type === "expr" ? index : undefined, subText);
    return { values: [el ?? ""], set: el !== undefined, list: false, star: false };
  }
  if (v === undefined) return { values: [""], set: false, list: false, star: false, name };
  if (v.kind === "scalar") return { values: [v.value], set: true, list: false, star: false, name };
  const el0 = v.kind === "indexed" ? v.values.get(0) : v.values.get("0");
  return { values: [el0 ?? ""], set: el0 !== undefined, list: false, star: false, name };
}

function readNamed(ec: EvalContext, name: string): VarValue | undefined {
  return ec.readVar(name);
}

function scalarOf(ec: EvalContext, name: string, index: ParamIndex | undefined): string {
  if (/^([0-9]+|[@*#])$/.test(name)) return positionalBase(ec, name).values.join(" ");
  const v = readNamed(ec, name);
  if (index?.type === "expr") return elementOf(ec, v, index, undefined) ?? "";
  if (!v) return "";
  if (v.kind === "scalar") return v.value;
  return (v.kind === "indexed" ? v.values.get(0) : v.values.get("0")) ?? "";
}

/** Resolves one element of a variable by subscript. */
export function elementOf(
  ec: EvalContext,
  v: VarValue | undefined,
  index: ParamIndex | undefined,
  subText: string | undefined,
): string | undefined {
  let keyText: string;
  if (index?.type === "expr") {
    keyText = joinScalar(ec, index.word);
  } else keyText = subText ?? "0";
  ec.unknowns.require(keyText);
  if (v?.kind === "assoc") return v.values.get(keyText);
  let i = Number(ec.arith(keyText));
  if (!v) return undefined;
  if (v.kind === "scalar") return i === 0 || i === -1 ? v.value : undefined;
  if (i < 0) {
    const max = v.values.size === 0 ? -1 : Math.max(...v.values.keys());
    i = max + 1 + i;
    if (i < 0) refuse("bad array subscript", "a negative array subscript before the first element");
  }
  return v.values.get(i);
}

function applyDefault(
  ec: EvalContext,
  part: ParamPart,
  base: Base,
  op: string,
  word: Word,
  mode: ExpandMode,
): Field[] {
  const colon = op.startsWith(":");
  const isNull = base.list
    ? base.values.length === 0 || (colon && base.values.join("") === "" && base.values.length <= 1)
    : !base.set || (colon && base.values[0] === "");
  if (base.list && colon && base.values.length > 1 && base.values.join("") === "") {
    refuse("parameter expansion", "${a[@]:-w} on an array of empty elements");
  }
  const kind = op.replace(":", "");
  const wordFields = (): Field[] => {
    const f = expandParts(ec, word.parts, mode);
    if (part.quoted) f[0].unshift({ text: "", quoted: true, split: false });
    else {
      // the word of an unquoted ${v:-word} is split like an expansion result
      for (const field of f) for (const seg of field) if (!seg.quoted) seg.split = true;
    }
    return f;
  };
  if (kind === "+") return isNull ? scalarField("", part.quoted) : wordFields();
  if (!isNull) return finish(ec, base, part.quoted, mode);
  if (kind === "-") return wordFields();
  if (kind === "?") {
    refuse(
      "${v:?message}",
      `\${${part.name}${op}...} makes bash fail because ${part.name} is unset or empty`,
    );
  }
  // "=": assign, then expand to the new value
  if (base.list || base.name === undefined || part.index || part.indirect) {
    refuse("${v:=w}", "${v:=w} on an array, element or indirect parameter");
  }
  const value = joinScalar(ec, word);
  ec.assignScalar(base.name, value);
  const after = ec.readVar(base.name);
  const text = after?.kind === "scalar" ? after.value : value;
  return scalarField(text, part.quoted);
}

/** Expands the replacement of `${v/p/r}`: unquoted `&` stands for the match (patsub_replacement). */
function expandReplacement(ec: EvalContext, word: Word): Replacement {
  const fields = expandParts(ec, word.parts, "scalar");
  const out: (string | { match: true })[] = [];
  fields.forEach((f, i) => {
    if (i > 0) out.push(" ");
    for (const seg of f) {
      ec.unknowns.require(seg.text);
      if (seg.quoted || !seg.text.includes("&") && !seg.text.includes("\\")) {
        out.push(seg.text);
        continue;
      }
      if (seg.split) {
        refuse("pattern substitution", "a replacement whose expansion contains & or a backslash");
      }
      let text = "";
      for (let k = 0; k < seg.text.length; k++) {
        const c = seg.text[k];
        if (c === "&") {
          out.push(text);
          text = "";
          out.push({ match: true });
        } else if (c === "\\") {
          refuse("pattern substitution", "a backslash in the replacement of ${v/p/r}");
        } else text += c;
      }
      out.push(text);
    }
  });
  return out;
}

function namesOf(ec: EvalContext, part: ParamPart, star: boolean, mode: ExpandMode): Field[] {
  const prefix = part.name;
  const names = new Set<string>();
  for (const scope of ec.state.scopes) {
    for (const [n, v] of scope.vars) {
      if (n.startsWith(prefix) && v.value !== undefined) names.add(n);
    }
  }
  if (ec.profile.mayDefinePrefix(prefix)) {
    refuse(
      "${!prefix*}",
      `\${!${prefix}*} could list variables ${ec.profile.host} or the environment define`,
    );
  }
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return finish(ec, { values: sorted, set: true, list: true, star }, part.quoted, mode);
}
