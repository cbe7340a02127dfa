/**
 * `parsePkgbuild`: evaluates a PKGBUILD statically, the way makepkg sources
 * it (inside its `source_safe` function, extglob off, CARCH set), and
 * builds the metadata model: the global variables, pkgbase, the functions
 * and each package's overrides. Anything the evaluator cannot know exactly
 * is refused with a typed error naming the construct and its line.
 *
 * @module
 */

import {
  BashLimitError,
  BashParserBugError,
  BashSyntaxError,
  DEFAULT_LIMITS,
  EvalLimit,
  type EvalLimits,
  EvalRefusal,
  Evaluator,
  type FunctionDef,
  hasUnknown,
  parseBash,
  refuse,
  type Script,
  ShellState,
  valueElements,
  type VarValue,
} from "../bash/mod.ts";
import { ExitCode, ProvisionerError } from "../errors.ts";
import { evaluateOverride, overrideAssignments } from "./_parse_overrides.ts";
import { ARCH_MULTI, PACKAGE_MULTI, PACKAGE_SINGLE } from "./_srcinfo_fields.ts";
import { PkgbuildLimitError, PkgbuildRefusedError, PkgbuildSourceError } from "./errors.ts";
import { MAKEPKG_PROFILE } from "./_makepkg_profile.ts";
import type { Pkgbuild, PkgbuildFunction, PkgbuildPackage, PkgbuildValue } from "./model.ts";

export type { EvalLimits } from "../bash/mod.ts";

/** Options of {@link parsePkgbuild}. */
export interface ParsePkgbuildOptions {
  /** The architecture to evaluate for (makepkg's CARCH). @default the host's, `x86_64` or `aarch64` */
  carch?: string;
  /** Work bounds of the evaluation. @default DEFAULT_LIMITS */
  limits?: Partial<EvalLimits>;
}

/** makepkg's spelling of the host architecture. */
export function hostCarch(): string {
  const a = Deno.build.arch;
  return a === "aarch64" ? "aarch64" : "x86_64";
}

/** CHOST of Debian's makepkg.conf for the architectures we know. */
const CHOSTS: Record<string, string> = { x86_64: "x86_64-linux-gnu" };

/**
 * Evaluates `text` as makepkg would source it for `options.carch` and returns its metadata.
 * Throws {@link PkgbuildRefusedError}, {@link PkgbuildLimitError}, {@link PkgbuildSourceError}
 * or the parser's `BashSyntaxError` / `BashLimitError`.
 */
export function parsePkgbuild(text: string, options: ParsePkgbuildOptions = {}): Pkgbuild {
  const limits: EvalLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const carch = options.carch ?? hostCarch();
  let line = 1;
  try {
    if (hasUnknown(text)) {
      throw new EvalRefusal(
        "noncharacter",
        "the PKGBUILD holds the Unicode noncharacter U+FDD0 or U+FDD1, which the evaluator reserves",
        text.slice(0, text.search(/[\uFDD0\uFDD1]/)).split("\n").length,
      );
    }
    const script = parseBash(text, { rejectCarriageReturn: MAKEPKG_PROFILE.rejectCarriageReturn });
    return evaluate(script, carch, limits, (l) => (line = l));
  } catch (e) {
    throw translateError(e, line);
  }
}

/**
 * The bash parser's error `e` with its PKGBUILD code (`PKGBUILD_SYNTAX`,
 * `PKGBUILD_CRLF` for a carriage return, which makepkg refuses to source,
 * `PKGBUILD_TOO_COMPLEX`, `PKGBUILD_PARSER_BUG`); anything else unchanged.
 */
function pkgbuildParseError(e: unknown): unknown {
  if (e instanceof BashSyntaxError) {
    const crlf = e.code === "BASH_CARRIAGE_RETURN";
    return new BashSyntaxError(
      crlf ? `${e.detail}, which makepkg refuses to source` : e.detail,
      e.line,
      e.column,
      { code: crlf ? "PKGBUILD_CRLF" : "PKGBUILD_SYNTAX", hint: e.hint, cause: e.cause },
    );
  }
  if (e instanceof BashLimitError) {
    return new BashLimitError(e.detail, e.line, e.column, {
      code: "PKGBUILD_TOO_COMPLEX",
      cause: e.cause,
    });
  }
  if (e instanceof BashParserBugError) {
    return new ProvisionerError(
      "PKGBUILD_PARSER_BUG",
      ExitCode.failure,
      e.message.replace("the script", "the PKGBUILD"),
      { cause: e.cause },
    );
  }
  return e;
}

function translateError(e: unknown, line: number): Error {
  if (e instanceof EvalRefusal) {
    return new PkgbuildRefusedError(e.construct, e.line ?? line, e.message);
  }
  if (e instanceof EvalLimit) return new PkgbuildLimitError(e.bound, e.line ?? line, e.message);
  if (
    e instanceof BashSyntaxError || e instanceof BashLimitError || e instanceof BashParserBugError
  ) {
    return pkgbuildParseError(e) as Error;
  }
  if (e instanceof ProvisionerError) return e;
  if (e instanceof RangeError) {
    return new PkgbuildLimitError("recursion", line, "the evaluation nests too deeply", {
      cause: e,
    });
  }
  return new PkgbuildRefusedError(
    "internal error",
    line,
    `the evaluator failed unexpectedly (${e instanceof Error ? e.message : String(e)})`,
    { cause: e },
  );
}

/** The global state makepkg has when it sources a PKGBUILD: IFS, CARCH and CHOST. */
function initialState(carch: string): ShellState {
  const st = new ShellState(MAKEPKG_PROFILE);
  st.setGlobal("IFS", " \t\n");
  st.setGlobal("CARCH", carch);
  const chost = CHOSTS[carch];
  if (chost) st.setGlobal("CHOST", chost);
  return st;
}

function evaluate(
  script: Script,
  carch: string,
  limits: EvalLimits,
  setLine: (l: number) => void,
): Pkgbuild {
  const st = initialState(carch);
  const ev = new Evaluator(st, { limits, profile: MAKEPKG_PROFILE });
  // what the top level prints goes where makepkg --printsrcinfo sends it: before the .SRCINFO
  const printed: string[] = [];
  ev.out = { buf: printed };
  let status: number;
  try {
    status = ev.sourceInFunction(script, ["PKGBUILD"]);
  } finally {
    setLine(ev.line);
  }
  // makepkg's source_safe fails when sourcing returns non-zero
  if (ev.unknowns.requireStatus(status) !== 0) throw new PkgbuildSourceError(status);
  if (st.options.nounset) {
    // makepkg's own code then fails on its unset variables
    throw new EvalRefusal("set -u", "set -u is still on at the end of the PKGBUILD", ev.line);
  }
  const model = buildModel(st, ev, carch);
  const text = printed.join("");
  return requireKnownModel(ev, text === "" ? model : { ...model, printed: text });
}

/**
 * Refuses a model that holds an unknown value anywhere (every string the
 * caller reads, metadata or not), with the refusal of its first unknown.
 */
function requireKnownModel(ev: Evaluator, model: Pkgbuild): Pkgbuild {
  const visit = (v: unknown): void => {
    if (typeof v === "string") ev.unknowns.require(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") {
      for (const [key, value] of Object.entries(v)) {
        visit(key);
        visit(value);
      }
    }
  };
  visit(model);
  return model;
}

function modelValue(v: VarValue): PkgbuildValue | undefined {
  if (v.kind === "scalar") return v.value;
  if (v.kind === "indexed") return valueElements(v);
  return undefined;
}

function buildModel(st: ShellState, ev: Evaluator, carch: string): Pkgbuild {
  const variables: Record<string, PkgbuildValue> = {};
  for (const name of st.assignedGlobals) {
    const unknown = st.global.vars.get(name)?.unknownCause;
    if (unknown !== undefined && isSchemaName(name)) ev.unknowns.require(unknown);
    const v = st.globalValue(name);
    if (!v || unknown !== undefined) continue;
    if (!isSchemaName(name) && valueHoldsUnknown(v)) continue; // makepkg never reads it
    // makepkg rejects a PKGBUILD field that is an associative array; any other
    // associative array is the script's own (its order, bash's hash table, is
    // followed while the script runs) and has no place in the model
    if (v.kind === "assoc" && isSchemaName(name)) {
      refuse(`associative array ${name}`, `the associative array ${name} has no defined order`);
    }
    if (v.kind !== "assoc") ev.unknowns.requireAll(valueElements(v));
    const mv = modelValue(v);
    if (mv !== undefined) setOwn(variables, name, mv);
  }
  const pkgnameValue = st.globalValue("pkgname");
  const pkgnames = pkgnameValue ? valueElements(pkgnameValue) : [];
  const pkgbaseValue = st.globalValue("pkgbase");
  const pkgbase = elementZero(pkgbaseValue) || elementZero(pkgnameValue);
  const functions: Record<string, PkgbuildFunction> = {};
  for (const name of st.functionOrder) {
    const fn = st.functions.get(name) as FunctionDef;
    setOwn(functions, name, { name, source: fn.source, line: fn.pos.line });
  }
  const packages = pkgnames.map((p) => packageOverrides(st, ev, p));
  const sparseArrays = Object.keys(variables).filter((name) => {
    const v = st.globalValue(name);
    return v?.kind === "indexed" && [...v.values.keys()].some((k) => k >= v.values.size);
  });
  const environmentReads = [...ev.environmentReads].sort();
  const model: Pkgbuild = { carch, pkgbase, variables, packages, functions };
  return {
    ...model,
    ...(sparseArrays.length > 0 ? { sparseArrays } : {}),
    ...(environmentReads.length > 0 ? { environmentReads } : {}),
  };
}

/** Whether any element of `v` holds an unknown value. */
function valueHoldsUnknown(v: VarValue): boolean {
  if (v.kind === "scalar") return hasUnknown(v.value);
  for (const e of v.values.values()) if (hasUnknown(e)) return true;
  return false;
}

function isSchemaName(name: string): boolean {
  return /^(pkgname|pkgbase|pkgver|pkgrel|epoch|pkgdesc|url|license|install|changelog|arch|groups|depends|makedepends|checkdepends|optdepends|provides|conflicts|replaces|backup|options|source|noextract|validpgpkeys|(ck|md5|sha1|sha224|sha256|sha384|sha512|b2)sums)(_.*)?$/
    .test(name);
}

function packageOverrides(st: ShellState, ev: Evaluator, pkg: string): PkgbuildPackage {
  const fn = st.functions.get(`package_${pkg}`) ?? st.functions.get("package");
  const overrides: Record<string, PkgbuildValue> = {};
  if (!fn) return { name: pkg, overrides };
  const one = (attr: string, isArray: boolean) => {
    const lines = overrideAssignments(fn, attr, isArray ? "array" : "string");
    if (lines.length === 0) return;
    overrides[attr] = evaluateOverride(ev, st, pkg, attr, isArray, lines);
  };
  for (const attr of PACKAGE_SINGLE) one(attr, false);
  for (const attr of PACKAGE_MULTI) one(attr, true);
  const archValue = overrides.arch ??
    (st.globalValue("arch") ? valueElements(st.globalValue("arch")) : []);
  for (const a of archValue as readonly string[]) {
    if (a === "any") continue;
    for (const attr of ARCH_MULTI) one(`${attr}_${a}`, true);
  }
  return { name: pkg, overrides };
}

/** `$v` / `${v[0]}`: a scalar's value or an array's element 0. */
function elementZero(v: VarValue | undefined): string {
  if (!v) return "";
  if (v.kind === "scalar") return v.value;
  if (v.kind === "indexed") return v.values.get(0) ?? "";
  return v.values.get("0") ?? "";
}

/** Sets `record[key]` as an own property, also for `__proto__` (a valid bash name). */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
