#!/bin/bash
# Regenerates the stored makepkg expectations of recipe directories by running
# the oracle (`makepkg --printsrcinfo`) on each, two at a time.
#
#   tests/oracle/regenerate.sh                    every fixtures/pkgbuild/*/ directory
#   tests/oracle/regenerate.sh DIR...             only these recipe directories
#   tests/oracle/regenerate.sh --corpus DIR...    corpus mode (see below)
#
# For each DIR holding a PKGBUILD it writes
#   DIR/expected.SRCINFO   makepkg's stdout, when makepkg exits 0 (removed otherwise)
#   DIR/expected.exit      makepkg's exit code, when it is not 0 (removed otherwise)
# A directory holding `expected.refused` keeps it: that file says our static
# evaluator must refuse the PKGBUILD, whatever makepkg does.
#
# Corpus mode always writes expected.exit (0 too) and expected.stderr, and when
# makepkg complains that an install= or changelog= file is missing it creates an
# empty one next to the PKGBUILD (makepkg only checks that it exists) and retries.
# Run as root (the oracle drops to the user `builder`). Needs makepkg installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=0
if [[ ${1:-} == --corpus ]]; then corpus=1; shift; fi
if (($# == 0)); then set -- "$root"/fixtures/pkgbuild/*/; fi
id builder >/dev/null 2>&1 || useradd -m builder

one() {
  local dir=${1%/} out err rc tries=0
  [[ -f $dir/PKGBUILD ]] || return 0
  out=$(mktemp) err=$(mktemp)
  while :; do
    "$here/makepkg-oracle" srcinfo "$dir" >"$out" 2>"$err"
    rc=$?
    ((corpus && rc != 0 && tries < 3)) || break
    local missing
    missing=$(sed -nE 's/.*(install|changelog) file \((.*)\) does not exist.*/\2/p' "$err" | head -1)
    [[ -n $missing && $missing != /* && $missing != *..* ]] || break
    mkdir -p "$dir/$(dirname "$missing")" && : >"$dir/$missing"
    tries=$((tries + 1))
  done
  if ((rc == 0)); then cp "$out" "$dir/expected.SRCINFO"; else rm -f "$dir/expected.SRCINFO"; fi
  if ((corpus)); then
    echo "$rc" >"$dir/expected.exit"
    cp "$err" "$dir/expected.stderr"
  elif ((rc != 0)); then
    echo "$rc" >"$dir/expected.exit"
  else
    rm -f "$dir/expected.exit"
  fi
  rm -f "$out" "$err"
  printf '%s %s\n' "$rc" "$dir"
}
export -f one
export here corpus
printf '%s\0' "$@" | xargs -0 -P 2 -n 1 bash -c 'one "$1"' _
