/**
 * Sets over makepkg's variable schema that several lint rules share.
 *
 * @module
 */

import {
  SCHEMA_ARCH_ARRAYS,
  SCHEMA_ARRAYS,
  SCHEMA_PACKAGE_OVERRIDES,
  SCHEMA_STRINGS,
} from "../model.ts";

/** Schema variables (arrays then strings) that have no `_<arch>` form. */
export const NOT_ARCH_SPECIFIC: readonly string[] = [...SCHEMA_ARRAYS, ...SCHEMA_STRINGS].filter(
  (name) => !SCHEMA_ARCH_ARRAYS.includes(name),
);

/** Schema variables (arrays then strings) that a package function must not set. */
export const NOT_PACKAGE_OVERRIDABLE: readonly string[] = [...SCHEMA_ARRAYS, ...SCHEMA_STRINGS]
  .filter((name) => !SCHEMA_PACKAGE_OVERRIDES.includes(name));

/** `for a in ${arch[@]}`: the arch entries after word splitting (makepkg leaves it unquoted). */
export function splitWords(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(/[ \t\n]+/).filter((word) => word !== ""));
}
