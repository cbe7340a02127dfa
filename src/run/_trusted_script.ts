/**
 * The bash script of the trusted metadata fallback: it sources a PKGBUILD as
 * makepkg does for `--printsrcinfo` and writes the metadata model to fd 3 as
 * NUL-separated records (the PKGBUILD's own output goes to stderr):
 *
 * - `B name kind count value...`: a variable that existed before sourcing
 * - `V name kind count value...`: a variable after sourcing (`kind` is `s` or `a`)
 * - `F name line source`: a function (`declare -f` text, line from `extdebug`)
 * - `O pkgname attr kind count value...`: a per-package override, found with
 *   makepkg's own `get_pkgbuild_attribute` (copied below from libmakepkg
 *   6.0.2, `util/pkgbuild.sh`, GPL-2.0-or-later, with a `__wp_` prefix so a
 *   host without makepkg behaves the same) for exactly the keys makepkg's
 *   `srcinfo_write_package` asks for
 * - `E`: the end
 *
 * @module
 */

/** Bash text is written with `@{` for `${` (template literals would interpolate it). */
function bash(text: string): string {
  return text.replaceAll("@{", "${");
}

/** libmakepkg's attribute extraction, renamed with a `__wp_` prefix. */
const MAKEPKG_PKGBUILD_SH = bash(String.raw`
__wp_grep_function() {
  { declare -f "$1" || declare -f package; } 2>/dev/null | grep -E "$2"
}
__wp_array_build() {
  local dest=$1 src=$2 i keys values
  declare -p "$2" &>/dev/null || return 1
  eval "keys=(\"\${!$2[@]}\")"
  eval "$dest=()"
  for i in "@{keys[@]}"; do
    values+=("printf -v '$dest[$i]' %s \"\${$src[$i]}\";")
  done
  eval "@{values[*]}"
}
__wp_extract_global_variable() {
  local attr=$1 isarray=$2 outputvar=$3 ref
  if (( isarray )); then
    __wp_array_build ref "$attr"
    (( @{#ref[@]} )) && __wp_array_build "$outputvar" "$attr"
  else
    [[ @{!attr} ]] && printf -v "$outputvar" %s "@{!attr}"
  fi
}
__wp_extract_function_variable() {
  local funcname=$1 attr=$2 isarray=$3 outputvar=$4 attr_regex= decl= r=1
  if (( isarray )); then
    printf -v attr_regex '^[[:space:]]* %s\+?=\(' "$2"
  else
    printf -v attr_regex '^[[:space:]]* %s\+?=[^(]' "$2"
  fi
  local shellopts=$(shopt -p extglob)
  shopt -s extglob
  while read -r; do
    decl=@{REPLY##*([[:space:]])}
    eval "@{decl/#$attr/$outputvar}"
    r=0
  done < <(__wp_grep_function "$funcname" "$attr_regex")
  eval "$shellopts"
  return $r
}
__wp_get_pkgbuild_attribute() {
  local pkgname=$1 attrname=$2 isarray=$3 outputvar=$4
  if (( isarray )); then
    eval "$outputvar=()"
  else
    printf -v "$outputvar" %s ''
  fi
  if [[ $pkgname ]]; then
    __wp_extract_global_variable "$attrname" "$isarray" "$outputvar"
    __wp_extract_function_variable "package_$pkgname" "$attrname" "$isarray" "$outputvar"
  else
    __wp_extract_global_variable "$attrname" "$isarray" "$outputvar"
  fi
}
`);

/** Writing records. */
const EMIT = bash(String.raw`
__wp_emit_value() {
  local -n __wp_ref=$1
  local __wp_attrs=@{__wp_ref@a}
  if [[ $__wp_attrs == *[aA]* ]]; then
    printf 'a\0%s\0' "@{#__wp_ref[@]}" >&3
    (( @{#__wp_ref[@]} )) && printf '%s\0' "@{__wp_ref[@]}" >&3
  else
    printf 's\0%s\0%s\0' 1 "@{__wp_ref-}" >&3
  fi
  return 0
}
__wp_emit_variables() {
  local __wp_v
  for __wp_v in $(compgen -v); do
    [[ $__wp_v == __wp_* ]] && continue
    printf '%s\0%s\0' "$1" "$__wp_v" >&3
    __wp_emit_value "$__wp_v"
  done
}
__wp_emit_functions() {
  local __wp_f __wp_decl
  shopt -s extdebug
  while read -r _ _ __wp_f; do
    [[ $__wp_f == __wp_* ]] && continue
    __wp_decl=$(declare -F "$__wp_f")
    __wp_decl=@{__wp_decl#"$__wp_f "}
    printf 'F\0%s\0%s\0%s\0' "$__wp_f" "@{__wp_decl%% *}" "$(declare -f "$__wp_f")" >&3
  done < <(declare -F)
  shopt -u extdebug
}
__wp_emit_override() {
  if __wp_get_pkgbuild_attribute "$1" "$2" "$3" __wp_out; then
    printf 'O\0%s\0%s\0' "$1" "$2" >&3
    __wp_emit_value __wp_out
  fi
}
__wp_emit_overrides() {
  local __wp_pkg __wp_attr __wp_a __wp_out __wp_arch
  for __wp_pkg in "@{pkgname[@]}"; do
    for __wp_attr in pkgdesc url install changelog; do
      __wp_emit_override "$__wp_pkg" "$__wp_attr" 0
    done
    for __wp_attr in arch groups license checkdepends depends optdepends provides conflicts \
        replaces options backup; do
      __wp_emit_override "$__wp_pkg" "$__wp_attr" 1
    done
    __wp_get_pkgbuild_attribute "$__wp_pkg" arch 1 __wp_arch
    for __wp_a in "@{__wp_arch[@]}"; do
      [[ $__wp_a = any ]] && continue
      for __wp_attr in source provides conflicts depends replaces optdepends makedepends \
          checkdepends {ck,md5,sha{1,224,256,384,512},b2}sums; do
        __wp_emit_override "$__wp_pkg" "@{__wp_attr}_$__wp_a" 1
      done
    done
  done
}
`);

/** Returns the script; it expects `$1` = the PKGBUILD, `$2` = CARCH, `$3` = CHOST. */
export function trustedMetadataScript(): string {
  return [
    "umask 0022",
    "exec 3>&1 1>&2",
    MAKEPKG_PKGBUILD_SH,
    EMIT,
    "__wp_pkgbuild=$1; startdir=$(pwd -P); CARCH=$2; CHOST=$3",
    "BUILDENV=(!distcc !color !ccache check !sign)",
    "OPTIONS=(strip docs libtool staticlibs emptydirs zipman purge !debug !lto)",
    "INTEGRITY_CHECK=(ck); PKGEXT='.pkg.tar.gz'; SRCEXT='.src.tar.gz'",
    "__wp_emit_variables B",
    "shopt -u extglob",
    'if ! source "$__wp_pkgbuild"; then',
    '  printf "==> ERROR: Failed to source %s\\n" "$__wp_pkgbuild" >&2; exit 12',
    "fi",
    "__wp_emit_variables V",
    "__wp_emit_functions",
    "__wp_emit_overrides",
    "printf 'E\\0' >&3",
    "",
  ].join("\n");
}
