/**
 * makepkg's `get_pkgbuild_all_split_attributes`: every value of an array
 * across the top level, its `_<arch>` forms for each `arch` entry, and each
 * package function's overrides of both.
 *
 * @module
 */

import { type Pkgbuild, valueAsArray } from "../model.ts";

/** Returns every value `attr` takes anywhere in `pkgbuild`, in makepkg's order. */
export function allSplitAttributeValues(pkgbuild: Pkgbuild, attr: string): string[] {
  const vars = pkgbuild.variables;
  const arches = valueAsArray(vars.arch);
  const values: string[] = [...valueAsArray(vars[attr])];
  for (const a of arches) values.push(...valueAsArray(vars[`${attr}_${a}`]));
  for (const pkg of pkgbuild.packages) {
    const overrides = pkg.overrides;
    if (Object.hasOwn(overrides, attr)) values.push(...valueAsArray(overrides[attr]));
    for (const a of arches) {
      const key = `${attr}_${a}`;
      if (Object.hasOwn(overrides, key)) values.push(...valueAsArray(overrides[key]));
    }
  }
  return values;
}

/** Returns every value of the package-overridable array `attr`: top level, then each package's override. */
export function globalAndPackageValues(pkgbuild: Pkgbuild, attr: string): string[] {
  const values: string[] = [...valueAsArray(pkgbuild.variables[attr])];
  for (const pkg of pkgbuild.packages) {
    if (Object.hasOwn(pkg.overrides, attr)) values.push(...valueAsArray(pkg.overrides[attr]));
  }
  return values;
}
