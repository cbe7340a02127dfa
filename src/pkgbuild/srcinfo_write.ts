/**
 * The `.SRCINFO` writer: the exact bytes `makepkg --printsrcinfo` prints
 * (makepkg's `write_srcinfo_content`, without the two-line header of
 * `write_srcinfo`).
 *
 * @module
 */

import { type Pkgbuild, type PkgbuildValue, valueAsArray, valueAsString } from "./model.ts";
import {
  ARCH_MULTI,
  GLOBAL_MULTI,
  GLOBAL_SINGLE,
  PACKAGE_MULTI,
  PACKAGE_SINGLE,
} from "./_srcinfo_fields.ts";
import { BASH_SPACE_CLASS as SPACE_CLASS } from "./_bash_space.ts";

const SPACE_RUN = new RegExp(`${SPACE_CLASS}+`, "g");
const SPACE = new RegExp(SPACE_CLASS);

/**
 * Normalises one value as `srcinfo_write_attr` does: every run of
 * `[[:space:]]` (Unicode spaces included) becomes one space, then one
 * leading and one trailing whitespace character are stripped.
 */
export function normalizeSrcinfoValue(value: string): string {
  let v = value.replace(SPACE_RUN, " ");
  if (v.length > 0 && SPACE.test(v[0])) v = v.slice(1);
  if (v.length > 0 && SPACE.test(v[v.length - 1])) v = v.slice(0, -1);
  return v;
}

/**
 * `printf "\t$attrname = %s\n" "${values[@]}"`: one line per value, and one
 * line with an empty value when there are none (printf runs its format once).
 */
function attributeLines(name: string, values: readonly string[], out: string[]): void {
  if (values.length === 0) {
    out.push(`\t${name} = \n`);
    return;
  }
  for (const value of values) out.push(`\t${name} = ${normalizeSrcinfoValue(value)}\n`);
}

/** The architectures a section loops over for `<field>_<arch>` keys, without `any`. */
function sectionArches(arch: PkgbuildValue | undefined): string[] {
  return valueAsArray(arch).filter((a) => a !== "any");
}

function writeGlobal(pkgbuild: Pkgbuild, out: string[]): void {
  const vars = pkgbuild.variables;
  const pkgbase = valueAsString(vars.pkgbase) || valueAsString(vars.pkgname) ||
    pkgbuild.pkgbase;
  out.push(`pkgbase = ${pkgbase}\n`);
  for (const name of GLOBAL_SINGLE) {
    const value = valueAsString(vars[name]);
    if (value !== "") attributeLines(name, [value], out);
  }
  const multi = (name: string): void => {
    const values = valueAsArray(vars[name]);
    if (values.length > 0) attributeLines(name, values, out);
  };
  GLOBAL_MULTI.forEach(multi);
  for (const a of sectionArches(vars.arch)) {
    for (const field of ARCH_MULTI) multi(`${field}_${a}`);
  }
}

function writePackage(
  pkgbuild: Pkgbuild,
  name: string,
  overrides: Readonly<Record<string, PkgbuildValue>>,
  out: string[],
): void {
  out.push(`pkgname = ${name}\n`);
  const has = (key: string): boolean => Object.hasOwn(overrides, key);
  for (const field of PACKAGE_SINGLE) {
    if (has(field)) attributeLines(field, valueAsArray(overrides[field]), out);
  }
  for (const field of PACKAGE_MULTI) {
    if (has(field)) attributeLines(field, valueAsArray(overrides[field]), out);
  }
  const arch = has("arch") ? overrides.arch : pkgbuild.variables.arch;
  for (const a of sectionArches(arch)) {
    for (const field of ARCH_MULTI) {
      const key = `${field}_${a}`;
      if (has(key)) attributeLines(key, valueAsArray(overrides[key]), out);
    }
  }
}

/**
 * Renders `pkgbuild` as `.SRCINFO`, byte-identical to `makepkg --printsrcinfo`:
 * what the top level printed while sourced (if anything), the `pkgbase` section with every non-empty top-level field, then one
 * section per package with only the fields its package function overrides.
 */
export function toSrcinfo(pkgbuild: Pkgbuild): string {
  // makepkg sources the PKGBUILD on the same standard output first
  const out: string[] = pkgbuild.printed === undefined ? [] : [pkgbuild.printed];
  writeGlobal(pkgbuild, out);
  for (const pkg of pkgbuild.packages) {
    out.push("\n");
    writePackage(pkgbuild, pkg.name, pkg.overrides, out);
  }
  return out.join("");
}
