/**
 * makepkg's profile for the bash evaluator: what makepkg 6.0.2 defines while
 * it sources a PKGBUILD (inside `source_safe`, with `source_makepkg_config`
 * done), run in the clean environment the build uses. A variable the
 * PKGBUILD reads but does not set is unset there unless makepkg, its
 * configuration or the few variables the build forwards (`PATH`, `HOME`,
 * `SOURCE_DATE_EPOCH`, locale, proxies) give it a value; those values
 * depend on the machine, so reading them is refused. makepkg's own
 * functions cannot be redefined; `warning`, `error`, `plainerr`,
 * `check_option`, `check_buildoption` and `check_buildenv` run with
 * makepkg's semantics.
 *
 * @module
 */

import {
  type EvalContext,
  type HostProfile,
  type HostVariable,
  refuse,
  valueElements,
} from "../bash/mod.ts";
import { MAKEPKG_FUNCTIONS } from "./_makepkg_functions.ts";

/** Names makepkg defines (lower case) while it sources a PKGBUILD: reading them is refused. */
const MAKEPKG_LOWERCASE_NAMES: ReadonlySet<string> = new Set([
  "_",
  "build_options",
  "buildenv_functions",
  "confdir",
  "executable_functions",
  "extra_environment",
  "func",
  "known_hash_algos",
  "lib",
  "lint_config_functions",
  "lint_package_functions",
  "lint_pkgbuild_functions",
  "makepkg_version",
  "packaging_options",
  "pkgbuild_schema_arch_arrays",
  "pkgbuild_schema_arrays",
  "pkgbuild_schema_package_overrides",
  "pkgbuild_schema_strings",
  "shellopts",
  "signal",
  "startdir",
  "tidy_modify",
  "tidy_remove",
  "using_ccache",
]);

/**
 * Names makepkg holds read-only while it sources a PKGBUILD (an assignment
 * fails there), plus `shellopts`, the local of `source_safe` that makepkg
 * evals after sourcing: assignments to them are refused.
 */
const MAKEPKG_PROTECTED_NAMES: ReadonlySet<string> = new Set([
  "startdir",
  "confdir",
  "makepkg_version",
  "known_hash_algos",
  "pkgbuild_schema_arrays",
  "pkgbuild_schema_strings",
  "pkgbuild_schema_arch_arrays",
  "pkgbuild_schema_package_overrides",
  "build_options",
  "buildenv_functions",
  "executable_functions",
  "lint_config_functions",
  "lint_package_functions",
  "lint_pkgbuild_functions",
  "packaging_options",
  "tidy_modify",
  "tidy_remove",
  "BUILDSCRIPT",
  "BASHOPTS",
  "BASH_VERSINFO",
  "EUID",
  "PPID",
  "SHELLOPTS",
  "UID",
  "shellopts",
]);

/**
 * Upper-case names with a value in makepkg's clean environment that depends
 * on the machine or the moment: forwarded by the build (`PATH`, `HOME`,
 * `SOURCE_DATE_EPOCH`, `TERM`, `TZ`, `LANG`, `LANGUAGE`), set by the login
 * (`USER`, `LOGNAME`, `SHELL`, `PWD`), set by makepkg itself or read from
 * makepkg.conf (`CARCH` and `CHOST` too, when the evaluation did not set
 * them).
 */
const MACHINE_NAMES: ReadonlySet<string> = new Set([
  "CARCH",
  "CHOST",
  "FFLAGS",
  "FCFLAGS",
  "DEBUG_FFLAGS",
  "DEBUG_FCFLAGS",
  "PATH",
  "HOME",
  "SOURCE_DATE_EPOCH",
  "TERM",
  "TZ",
  "LANG",
  "LANGUAGE",
  "USER",
  "LOGNAME",
  "SHELL",
  "PWD",
  "OLDPWD",
  "TMPDIR",
  "MAIL",
  "MAKEPKG_CONF",
  "PACMAN",
  "BUILDDIR",
  "SRCDEST",
  "PKGDEST",
  "SRCPKGDEST",
  "LOGDEST",
  "PACKAGER",
  "GPGKEY",
  "BUILDTOOL",
  "BUILDTOOLVER",
  "CPPFLAGS",
  "CFLAGS",
  "CXXFLAGS",
  "LDFLAGS",
  "LTOFLAGS",
  "RUSTFLAGS",
  "MAKEFLAGS",
  "DEBUG_CFLAGS",
  "DEBUG_CXXFLAGS",
  "DEBUG_RUSTFLAGS",
  "DISTCC_HOSTS",
  "BUILDENV",
  "OPTIONS",
  "INTEGRITY_CHECK",
  "STRIP_BINARIES",
  "STRIP_SHARED",
  "STRIP_STATIC",
  "MAN_DIRS",
  "DOC_DIRS",
  "PURGE_TARGETS",
  "DBGSRCDIR",
  "LIB_DIRS",
  "PKGEXT",
  "SRCEXT",
  "PACMAN_AUTH",
  "DLAGENTS",
  "VCSCLIENTS",
  "COMPRESSGZ",
  "COMPRESSBZ2",
  "COMPRESSXZ",
  "COMPRESSZST",
  "COMPRESSLRZ",
  "COMPRESSLZO",
  "COMPRESSZ",
  "COMPRESSLZ4",
  "COMPRESSLZ",
  "ALL_OFF",
  "BOLD",
  "BLUE",
  "GREEN",
  "RED",
  "YELLOW",
  "ARGLIST",
  "ASDEPS",
  "BUILDFILE",
  "BUILDFUNC",
  "BUILDPKG",
  "BUILDSCRIPT",
  "CHECKFUNC",
  "CLEANBUILD",
  "CLEANUP",
  "DEP_BIN",
  "FORCE",
  "GENINTEG",
  "HOLDVER",
  "IGNOREARCH",
  "INFAKEROOT",
  "INSTALL",
  "LIBRARY",
  "LOGGING",
  "NEEDED",
  "NOARCHIVE",
  "NOBUILD",
  "NODEPS",
  "NOEXTRACT",
  "OPTRET",
  "OPT_LONG",
  "OPT_SHORT",
  "PACMAN_OPTS",
  "PACMAN_PATH",
  "PKGFUNC",
  "PKGVERFUNC",
  "PREPAREFUNC",
  "PYTHONHASHSEED",
  "REPKG",
  "REPRODUCIBLE",
  "RMDEPS",
  "SIGNPKG",
  "SIGNWITHKEY",
  "SKIPCHECKSUMS",
  "SKIPPGPCHECK",
  "SOURCEONLY",
  "SPLITPKG",
  "STRIPLTO",
  "TEXTDOMAIN",
  "TEXTDOMAINDIR",
  "VERIFYSOURCE",
  "XDG_PACMAN_DIR",
  "COMMAND_MODE",
  "CCACHE_BASEDIR",
  "CCACHE_PREFIX",
]);

/** Whether `name` is an environment-style name (upper case, or `_` then upper case). */
function isEnvironmentName(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name) || /^_[A-Z0-9_]*[A-Z][A-Z0-9_]*$/.test(name);
}

/** Whether makepkg or the build's environment give `name` a value that depends on the machine. */
function hasMachineValue(name: string): boolean {
  if (MAKEPKG_LOWERCASE_NAMES.has(name) || MACHINE_NAMES.has(name)) return true;
  if (/_proxy$/i.test(name) || name === "no_proxy") return true;
  return /^(LC_|LIBMAKEPKG_|E_[A-Z])/.test(name);
}

/** What an unset `name` is in makepkg's clean environment. */
export function makepkgVariable(name: string): HostVariable {
  return hasMachineValue(name) ? { kind: "unknown" } : { kind: "unset" };
}

/**
 * makepkg's `warning`, `error` and `plainerr`: they print to standard error
 * and succeed (unless the message is a printf format that could fail).
 */
function stderrMessage(name: string) {
  return (_ec: EvalContext, args: string[]): number => {
    if (/[%\\]/.test(args[0] ?? "")) {
      refuse(`makepkg function '${name}'`, `${name} with a message that printf interprets`);
    }
    return 0;
  };
}

/**
 * makepkg's `check_opt_array` (util/option.sh) over the PKGBUILD's own
 * array `array`: the last `option` or `!option` decides; when the PKGBUILD
 * does not name the option, makepkg.conf's `conf` does, which is the
 * machine's: refused.
 */
function optionCheck(name: string, array: string | undefined, conf: string) {
  return (ec: EvalContext, args: string[]): number => {
    const [option, expected] = args;
    if (option === undefined) refuse(name, `${name} without an option name`);
    const values = array === undefined ? [] : valueElements(ec.readVar(array));
    ec.unknowns.requireAll(values);
    for (let i = values.length - 1; i >= 0; i--) {
      if (values[i] === option) return expected === "y" ? 0 : 1;
      if (values[i] === `!${option}`) return expected === "n" ? 0 : 1;
    }
    refuse(
      `${name} ${option}`,
      `whether '${option}' is on comes from makepkg.conf's ${conf} ` +
        `(add '${option}' or '!${option}' to the PKGBUILD's options to decide it)`,
    );
  };
}

/** makepkg as the host of a PKGBUILD's evaluation. */
export const MAKEPKG_PROFILE: HostProfile = {
  host: "makepkg",
  hostVariable: makepkgVariable,
  localNames: (name) => !isEnvironmentName(name) && !hasMachineValue(name),
  mayDefinePrefix: (prefix) =>
    !/^_?[a-z]/.test(prefix) ||
    [...MAKEPKG_LOWERCASE_NAMES, "http_proxy", "https_proxy", "ftp_proxy", "no_proxy"]
      .some((n) => n.startsWith(prefix)),
  protectedNames: MAKEPKG_PROTECTED_NAMES,
  reservedFunctions: MAKEPKG_FUNCTIONS,
  builtins: {
    warning: stderrMessage("warning"),
    error: stderrMessage("error"),
    plainerr: stderrMessage("plainerr"),
    check_option: optionCheck("check_option", "options", "OPTIONS"),
    check_buildoption: optionCheck("check_buildoption", "options", "BUILDENV"),
    check_buildenv: optionCheck("check_buildenv", undefined, "BUILDENV"),
  },
  // makepkg refuses a PKGBUILD with CRLF line endings
  rejectCarriageReturn: true,
};
