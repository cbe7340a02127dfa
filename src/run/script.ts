/**
 * The bash driver script of one phase: it does what makepkg does around a
 * PKGBUILD function (`source_safe`, `merge_arch_attrs`, `prepare_buildenv`,
 * `run_function_safe`) and then calls that one function.
 *
 * - umask 022; extglob off while sourcing and on while running, as makepkg;
 * - the PKGBUILD is sourced in the same shell, so functions see its
 *   variables and helper functions;
 * - after pkgver() changed the version, the PKGBUILD's text is sourced with
 *   makepkg's own substitution (`pkgver=<new>`, `pkgrel=1`) applied in
 *   memory: the file on disk is never rewritten;
 * - shell variables srcdir, pkgdir, startdir, pkgbase, CARCH, CHOST (not
 *   exported); SOURCE_DATE_EPOCH comes exported in the environment; from
 *   build() on CPPFLAGS, CFLAGS, CXXFLAGS, LDFLAGS, RUSTFLAGS, MAKEFLAGS and
 *   CHOST are exported;
 * - makepkg's message helpers (msg, msg2, plain, warning, error) exist, as
 *   recipes call them;
 * - the function runs with errexit, errtrace and an ERR trap, cwd `$srcdir`;
 *   a failure exits with the failing command's status.
 *
 * @module
 */

import type { RunPhase } from "./events.ts";

/** Everything the driver script needs. */
export interface DriverScriptOptions {
  /** The PKGBUILD to source. */
  readonly pkgbuildPath: string;
  /** makepkg's `startdir` (the recipe directory). */
  readonly startdir: string;
  /** makepkg's `srcdir`. */
  readonly srcdir: string;
  /** makepkg's `pkgdir` for this phase. */
  readonly pkgdir: string;
  /** `CARCH`. */
  readonly carch: string;
  /** `CHOST`. */
  readonly chost: string;
  /** The phase. */
  readonly phase: RunPhase;
  /** The PKGBUILD function to call. */
  readonly functionName: string;
  /** For package phases: the package being built (assigned to `pkgname` as makepkg's loop does). */
  readonly pkgname?: string;
  /** The version pkgver() printed, when it differs from the PKGBUILD's. */
  readonly newPkgver?: string;
}

/** Quotes `value` for bash as one word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Bash text is written with `@{` for `${` (template literals would interpolate it). */
function bash(text: string): string {
  return text.replaceAll("@{", "${");
}

/** makepkg's message helpers (libmakepkg/util/message.sh without colours). */
const MESSAGE_HELPERS = bash(String.raw`
plain() { local mesg=$1; shift; printf "    @{mesg}\n" "$@"; }
plainerr() { plain "$@" >&2; }
msg() { local mesg=$1; shift; printf "==> @{mesg}\n" "$@"; }
msg2() { local mesg=$1; shift; printf "  -> @{mesg}\n" "$@"; }
warning() { local mesg=$1; shift; printf "==> WARNING: @{mesg}\n" "$@" >&2; }
error() { local mesg=$1; shift; printf "==> ERROR: @{mesg}\n" "$@" >&2; }
`);

/**
 * Sourcing as makepkg's `source_safe` does (a failing last command fails it;
 * no ERR trap fires inside, as `if ! source` suppresses it), with the
 * in-memory pkgver update, then `merge_arch_attrs`.
 */
const SOURCE_PKGBUILD = bash(String.raw`
__wp_source_failed() { error "Failed to source %s" "$__wp_pkgbuild"; exit 12; }
if [[ -n $__wp_newpkgver ]]; then
  mapfile -t __wp_lines < "$__wp_pkgbuild"
  shopt -s extglob
  __wp_lines=("@{__wp_lines[@]/#pkgver=*([^ ])/pkgver=$__wp_newpkgver}")
  __wp_lines=("@{__wp_lines[@]/#pkgrel=*([^ ])/pkgrel=1}")
  shopt -u extglob
  source <(printf '%s\n' "@{__wp_lines[@]}") || __wp_source_failed
  unset __wp_lines
else
  source "$__wp_pkgbuild" || __wp_source_failed
fi
shopt -s extglob
pkgbase=@{pkgbase:-@{pkgname[0]}}
for __wp_attr in provides conflicts depends replaces optdepends makedepends checkdepends; do
  eval "$__wp_attr+=(\"\${@{__wp_attr}_$CARCH[@]}\")"
  unset -v "@{__wp_attr}_$CARCH"
done
unset __wp_attr
`);

/** Returns the bash script that runs one phase's function. */
export function driverScript(o: DriverScriptOptions): string {
  const q = shellQuote;
  const lines = [
    `# worker-provisioner: ${o.phase} phase, ${o.functionName}()`,
    "umask 0022",
    "shopt -u extglob",
    MESSAGE_HELPERS,
    `__wp_pkgbuild=${q(o.pkgbuildPath)}`,
    `__wp_newpkgver=${q(o.newPkgver ?? "")}`,
    `startdir=${q(o.startdir)}`,
    `CARCH=${q(o.carch)}`,
    `CHOST=${q(o.chost)}`,
    'cd "$startdir" || exit 1',
    SOURCE_PKGBUILD,
    `srcdir=${q(o.srcdir)}`,
    `pkgdir=${q(o.pkgdir)}`,
  ];
  if (o.pkgname !== undefined) lines.push(`pkgname=${q(o.pkgname)}`);
  if (o.phase === "build" || o.phase === "check" || o.phase === "package") {
    lines.push("export CPPFLAGS CFLAGS CXXFLAGS LDFLAGS RUSTFLAGS MAKEFLAGS CHOST");
  }
  lines.push(
    'cd "$srcdir" || exit 1',
    "set -o errexit -o errtrace",
    `trap '__wp_rc=$?; (( BASH_SUBSHELL )) || error "A failure occurred in %s()." ${
      q(o.functionName)
    }; exit $__wp_rc' ERR`,
    o.functionName,
    "",
  );
  return lines.join("\n");
}
