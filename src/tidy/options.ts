/**
 * The packaging options of makepkg's tidy steps: makepkg.conf's `OPTIONS`
 * and the variables the steps read (`STRIP_*`, `DOC_DIRS`, `MAN_DIRS`,
 * `PURGE_TARGETS`, `DBGSRCDIR`), overridden by the recipe's `options=()`
 * as libmakepkg's `check_option` does: the last mention of an option in
 * `OPTIONS` followed by `options` wins.
 *
 * @module
 */

/** What the tidy steps read from makepkg.conf. */
export interface TidyConfig {
  /** makepkg.conf's `OPTIONS`. */
  readonly options: readonly string[];
  /** `STRIP_BINARIES`, as separate arguments. */
  readonly stripBinaries: readonly string[];
  /** `STRIP_SHARED`, as separate arguments. */
  readonly stripShared: readonly string[];
  /** `STRIP_STATIC`, as separate arguments. */
  readonly stripStatic: readonly string[];
  /** `MAN_DIRS` (used literally, as makepkg's quoted `find` does). */
  readonly manDirs: readonly string[];
  /** `DOC_DIRS` (pathname-expanded in the package tree, as makepkg's unquoted `rm` does). */
  readonly docDirs: readonly string[];
  /** `PURGE_TARGETS`: a name without `/` is matched anywhere, a path is expanded from the root. */
  readonly purgeTargets: readonly string[];
  /** `DBGSRCDIR`: where the debug package keeps sources. */
  readonly dbgsrcdir: string;
}

/**
 * Debian's `/etc/makepkg.conf` (makepkg 6.0.2), with its brace expansions
 * spelled out. `opt/*` stays literal in `MAN_DIRS` (makepkg.conf is sourced
 * outside the package tree, and the steps quote it).
 */
export const DEBIAN_MAKEPKG_CONF: TidyConfig = {
  options: [
    "strip",
    "docs",
    "libtool",
    "staticlibs",
    "emptydirs",
    "zipman",
    "purge",
    "!debug",
    "!lto",
  ],
  stripBinaries: ["--strip-all"],
  stripShared: ["--strip-unneeded"],
  stripStatic: ["--strip-debug"],
  manDirs: ["usr", "usr/local", "usr/share", "usr/local/share", "opt/*"].flatMap((d) => [
    `${d}/man`,
    `${d}/info`,
  ]),
  docDirs: [
    ...["usr/", "usr/local/"].flatMap((a) =>
      ["", "share/"].flatMap((b) => ["doc", "gtk-doc"].map((c) => `${a}${b}${c}`))
    ),
    "opt/*/doc",
    "opt/*/gtk-doc",
  ],
  purgeTargets: ["usr//info/dir", "usr/share/info/dir", ".packlist", "*.pod"],
  dbgsrcdir: "/usr/src/debug",
};

/**
 * libmakepkg's `check_option NAME EXPECTED`: whether the last mention of
 * `name` in `confOptions` then `recipeOptions` is `name` (`"y"`) or
 * `!name` (`"n"`); false when neither mentions it.
 */
export function checkOption(
  name: string,
  expected: "y" | "n",
  confOptions: readonly string[],
  recipeOptions: readonly string[],
): boolean {
  const all = [...confOptions, ...recipeOptions];
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i] === name) return expected === "y";
    if (all[i] === `!${name}`) return expected === "n";
  }
  return false;
}
