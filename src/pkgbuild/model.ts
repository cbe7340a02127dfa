/**
 * The metadata model of a PKGBUILD, the same one makepkg builds when it
 * sources a PKGBUILD: the top-level variables, one entry per (split) package
 * with the variables its `package_<name>()` function overrides, and the
 * function bodies kept verbatim for later execution.
 *
 * Everything here is plain data: the evaluator produces it, the `.SRCINFO`
 * writer, lint, the source planner and the runner read it.
 *
 * @module
 */

/**
 * A shell value as bash holds it: a string for a scalar variable, an array
 * of strings for an indexed array (in index order; sparse arrays keep only
 * their set elements, as `"${a[@]}"` does).
 */
export type PkgbuildValue = string | readonly string[];

/** The eight checksum algorithms makepkg knows, in makepkg's order. */
export const HASH_ALGORITHMS = [
  "ck",
  "md5",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "b2",
] as const;

/** One of {@link HASH_ALGORITHMS}. */
export type HashAlgorithm = typeof HASH_ALGORITHMS[number];

/** The checksum array names (`md5sums`, `sha256sums`, ...), in makepkg's order. */
export const SUMS_ARRAYS: readonly string[] = HASH_ALGORITHMS.map((a) => `${a}sums`);

/** PKGBUILD variables that are arrays (makepkg's `pkgbuild_schema_arrays`). */
export const SCHEMA_ARRAYS: readonly string[] = [
  "arch",
  "backup",
  "checkdepends",
  "conflicts",
  "depends",
  "groups",
  "license",
  "makedepends",
  "noextract",
  "optdepends",
  "options",
  "provides",
  "replaces",
  "source",
  "validpgpkeys",
  ...SUMS_ARRAYS,
];

/** PKGBUILD variables that are strings (makepkg's `pkgbuild_schema_strings`). */
export const SCHEMA_STRINGS: readonly string[] = [
  "changelog",
  "epoch",
  "install",
  "pkgbase",
  "pkgdesc",
  "pkgrel",
  "pkgver",
  "url",
];

/**
 * Arrays that also exist in an architecture-specific form `<name>_<arch>`
 * (makepkg's `pkgbuild_schema_arch_arrays`).
 */
export const SCHEMA_ARCH_ARRAYS: readonly string[] = [
  "checkdepends",
  "conflicts",
  "depends",
  "makedepends",
  "optdepends",
  "provides",
  "replaces",
  "source",
  ...SUMS_ARRAYS,
];

/**
 * Variables a `package_<name>()` function may override
 * (makepkg's `pkgbuild_schema_package_overrides`).
 */
export const SCHEMA_PACKAGE_OVERRIDES: readonly string[] = [
  "pkgdesc",
  "arch",
  "url",
  "license",
  "groups",
  "depends",
  "optdepends",
  "provides",
  "conflicts",
  "replaces",
  "backup",
  "options",
  "install",
  "changelog",
];

/** A function defined by the PKGBUILD, kept verbatim. */
export interface PkgbuildFunction {
  /** The function's name, e.g. `build` or `package_foo`. */
  readonly name: string;
  /** The whole definition as written in the PKGBUILD, from its name to its closing brace. */
  readonly source: string;
  /** 1-based line of the definition's first character. */
  readonly line: number;
}

/** One package of a (possibly split) PKGBUILD. */
export interface PkgbuildPackage {
  /** The package name, one element of `pkgname`. */
  readonly name: string;
  /**
   * The variables that `package_<name>()` overrides, detected the way makepkg
   * detects them, each with its effective value (the global value with the
   * override applied, so `depends+=(x)` appends). Keys may be
   * architecture-specific (`depends_x86_64`). A key absent here is not
   * overridden; an empty array or string is an override to empty.
   */
  readonly overrides: Readonly<Record<string, PkgbuildValue>>;
}

/** The metadata of a PKGBUILD, evaluated for one architecture. */
export interface Pkgbuild {
  /** The architecture the top level was evaluated for (makepkg's `CARCH`). */
  readonly carch: string;
  /** `pkgbase`, or the first `pkgname` when the PKGBUILD sets none. */
  readonly pkgbase: string;
  /**
   * Every variable the PKGBUILD's top level sets, with its final value,
   * including empty ones and architecture-specific arrays (`source_x86_64`).
   * Variables the evaluator itself provides (`CARCH`, ...) are not listed
   * unless the PKGBUILD assigns them; nor are variables makepkg never reads
   * whose value depends on the machine (`_flags="--jobs $(nproc)"`).
   */
  readonly variables: Readonly<Record<string, PkgbuildValue>>;
  /** One entry per element of `pkgname`, in order. */
  readonly packages: readonly PkgbuildPackage[];
  /** Every function the PKGBUILD defines, by name, in definition order. */
  readonly functions: Readonly<Record<string, PkgbuildFunction>>;
  /**
   * Names of the indexed arrays in {@link variables} whose indices are not
   * `0..n-1` (sparse, like `source[0]=a source[2]=b`): `variables` lists only
   * their set elements, but makepkg's lint rejects a sparse `source`.
   * Absent or empty when there are none.
   */
  readonly sparseArrays?: readonly string[];
  /**
   * Variables the PKGBUILD reads but does not set, sorted, for `plan` to
   * show: those it sees as makepkg's clean build environment has them
   * (unset: `CARGO_HOME`, `_BUILD_DOCS`, ...), and those whose machine value
   * it only moves where the metadata never depends on it (`HOME`,
   * `SOURCE_DATE_EPOCH`). Absent or empty when there are none.
   */
  readonly environmentReads?: readonly string[];
  /**
   * What the top level printed to standard output while it was sourced
   * (`echo "$url"` between assignments). makepkg's `--printsrcinfo` prints
   * it before the `.SRCINFO`, and so does `toSrcinfo`. Absent when
   * nothing was printed.
   */
  readonly printed?: string;
}

/** Returns `value` as an array: a scalar becomes a one-element array, as `"${v[@]}"` does. */
export function valueAsArray(value: PkgbuildValue | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

/** Returns `value` as a string: an array gives its first element, as `"$v"` does. */
export function valueAsString(value: PkgbuildValue | undefined): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : value[0] ?? "";
}
