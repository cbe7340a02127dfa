/**
 * The `.SRCINFO` reader: parses what `makepkg --printsrcinfo` (or the AUR)
 * writes into a typed {@link Srcinfo}, with errors that carry the line, and
 * turns it back into a {@link Pkgbuild} so that `toSrcinfo` reproduces the
 * same bytes (a round trip).
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";
import type { Pkgbuild, PkgbuildPackage, PkgbuildValue } from "./model.ts";
import {
  ARCH_MULTI,
  GLOBAL_MULTI,
  GLOBAL_SINGLE,
  PACKAGE_MULTI,
  PACKAGE_SINGLE,
} from "./_srcinfo_fields.ts";

/** The fields of one `.SRCINFO` section: each key with its values, in file order. */
export type SrcinfoFields = Readonly<Record<string, readonly string[]>>;

/** One `pkgname = ...` section. */
export interface SrcinfoPackage {
  /** The package name. */
  readonly name: string;
  /** The fields this package overrides (only those listed in its section). */
  readonly fields: SrcinfoFields;
}

/** A parsed `.SRCINFO`. */
export interface Srcinfo {
  /** The `pkgbase = ...` value. */
  readonly pkgbase: string;
  /** The fields of the `pkgbase` section. */
  readonly base: SrcinfoFields;
  /** One entry per `pkgname = ...` section, in order. */
  readonly packages: readonly SrcinfoPackage[];
}

/** A `.SRCINFO` that cannot be read (code `SRCINFO_SYNTAX`); `line` is 1-based. */
export class SrcinfoSyntaxError extends ProvisionerError {
  /** The 1-based line of the problem. */
  readonly line: number;

  /** Creates the error; the message reads `.SRCINFO line L: <reason>`. */
  constructor(line: number, reason: string, options: ProvisionerErrorOptions = {}) {
    super("SRCINFO_SYNTAX", ExitCode.pkgbuildInvalid, `.SRCINFO line ${line}: ${reason}`, {
      hint: "regenerate it with `makepkg --printsrcinfo > .SRCINFO`",
      ...options,
    });
    this.line = line;
  }
}

const SINGLE = new Set([...GLOBAL_SINGLE, ...PACKAGE_SINGLE]);

/** Whether `key` may appear in a base (`global`) or package section. */
function knownKey(key: string, global: boolean): boolean {
  const single = global ? GLOBAL_SINGLE : PACKAGE_SINGLE;
  const multi = global ? GLOBAL_MULTI : PACKAGE_MULTI;
  if (single.includes(key) || multi.includes(key)) return true;
  const m = /^([a-z0-9]+)_([A-Za-z0-9_]+)$/.exec(key);
  return m !== null && ARCH_MULTI.includes(m[1]);
}

/**
 * Parses `.SRCINFO` text. Accepts makepkg's output and the AUR's format
 * (comment lines, blank lines, any indentation); throws
 * {@link SrcinfoSyntaxError} naming the line for anything else.
 */
export function parseSrcinfo(text: string): Srcinfo {
  let pkgbase: string | undefined;
  const base: Record<string, string[]> = {};
  const packages: { name: string; fields: Record<string, string[]> }[] = [];
  let current: Record<string, string[]> | undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/^[ \t]+/, "");
    if (content === "" || content.startsWith("#")) return;
    const eq = content.indexOf(" = ");
    if (eq === -1) {
      throw new SrcinfoSyntaxError(line, `expected 'key = value', got ${JSON.stringify(raw)}`);
    }
    const key = content.slice(0, eq);
    const value = content.slice(eq + 3);
    if (key === "pkgbase") {
      if (pkgbase !== undefined) throw new SrcinfoSyntaxError(line, "a second pkgbase section");
      pkgbase = value;
      current = base;
      return;
    }
    if (pkgbase === undefined) {
      throw new SrcinfoSyntaxError(line, `'${key}' before the 'pkgbase = ...' line`);
    }
    if (key === "pkgname") {
      if (value === "") throw new SrcinfoSyntaxError(line, "an empty pkgname");
      if (packages.some((p) => p.name === value)) {
        throw new SrcinfoSyntaxError(line, `package '${value}' appears twice`);
      }
      current = {};
      packages.push({ name: value, fields: current });
      return;
    }
    if (!knownKey(key, current === base)) {
      const where = current === base ? "the pkgbase section" : "a package section";
      throw new SrcinfoSyntaxError(line, `unknown key '${key}' in ${where}`);
    }
    const values = current![key] ??= [];
    if (SINGLE.has(key) && values.length > 0) {
      throw new SrcinfoSyntaxError(line, `'${key}' is single-valued but appears twice`);
    }
    values.push(value);
  });
  if (pkgbase === undefined) throw new SrcinfoSyntaxError(1, "no 'pkgbase = ...' line");
  if (packages.length === 0) {
    throw new SrcinfoSyntaxError(lines.length || 1, "no 'pkgname = ...' section");
  }
  return { pkgbase, base, packages };
}

function toValue(key: string, values: readonly string[], inPackage: boolean): PkgbuildValue {
  if (SINGLE.has(key)) {
    const value = values[0] ?? "";
    // makepkg prints a global string only when it is non-empty before
    // normalisation ("   " prints as empty): keep such a field printable.
    return value === "" && !inPackage ? " " : value;
  }
  // A package section prints an override to an empty array as one empty value.
  if (inPackage && values.length === 1 && values[0] === "") return [];
  return [...values];
}

/**
 * Builds the {@link Pkgbuild} a `.SRCINFO` describes (no functions: a
 * `.SRCINFO` has none), so that `toSrcinfo(srcinfoToPkgbuild(parseSrcinfo(t))) === t`
 * for every `.SRCINFO` makepkg writes (unless the PKGBUILD printed while
 * sourced: makepkg puts that text first, and it is no `.SRCINFO` line).
 */
export function srcinfoToPkgbuild(srcinfo: Srcinfo, carch = "x86_64"): Pkgbuild {
  const variables: Record<string, PkgbuildValue> = {};
  for (const [key, values] of Object.entries(srcinfo.base)) {
    variables[key] = toValue(key, values, false);
  }
  variables.pkgbase = srcinfo.pkgbase;
  variables.pkgname = srcinfo.packages.map((p) => p.name);
  const packages: PkgbuildPackage[] = srcinfo.packages.map((p) => ({
    name: p.name,
    overrides: Object.fromEntries(
      Object.entries(p.fields).map(([key, values]) => [key, toValue(key, values, true)]),
    ),
  }));
  return { carch, pkgbase: srcinfo.pkgbase, variables, packages, functions: {} };
}
