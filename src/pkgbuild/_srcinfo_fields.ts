/**
 * The `.SRCINFO` field lists of makepkg's `srcinfo.sh`, shared by the writer
 * and the reader. Order matters: it is the order makepkg prints fields in.
 *
 * @module
 */

import { SUMS_ARRAYS } from "./model.ts";

/** Single-valued fields of the `pkgbase` section, in print order. */
export const GLOBAL_SINGLE: readonly string[] = [
  "pkgdesc",
  "pkgver",
  "pkgrel",
  "epoch",
  "url",
  "install",
  "changelog",
];

/** Multi-valued fields of the `pkgbase` section, in print order. */
export const GLOBAL_MULTI: readonly string[] = [
  "arch",
  "groups",
  "license",
  "checkdepends",
  "makedepends",
  "depends",
  "optdepends",
  "provides",
  "conflicts",
  "replaces",
  "noextract",
  "options",
  "backup",
  "source",
  "validpgpkeys",
  ...SUMS_ARRAYS,
];

/** Single-valued fields of a `pkgname` section, in print order. */
export const PACKAGE_SINGLE: readonly string[] = ["pkgdesc", "url", "install", "changelog"];

/** Multi-valued fields of a `pkgname` section, in print order. */
export const PACKAGE_MULTI: readonly string[] = [
  "arch",
  "groups",
  "license",
  "checkdepends",
  "depends",
  "optdepends",
  "provides",
  "conflicts",
  "replaces",
  "options",
  "backup",
];

/** Fields printed once per architecture (`<field>_<arch>`), in print order. */
export const ARCH_MULTI: readonly string[] = [
  "source",
  "provides",
  "conflicts",
  "depends",
  "replaces",
  "optdepends",
  "makedepends",
  "checkdepends",
  ...SUMS_ARRAYS,
];
