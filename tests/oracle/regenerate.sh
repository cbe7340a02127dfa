#!/bin/bash
# Regenerates the stored makepkg expectations of recipe directories by running
# the oracle (`makepkg --printsrcinfo`) on each, two at a time.
#
#   tests/oracle/regenerate.sh                    every fixtures/pkgbuild/*/ directory, then
#                                                 fixtures/pkgbuild-pending/*/ ones, each moved
#                                                 into fixtures/pkgbuild/ once makepkg has run
#   tests/oracle/regenerate.sh DIR...             only these recipe directories
#   tests/oracle/regenerate.sh --corpus DIR...    corpus mode (see below)
#
# For each DIR holding a PKGBUILD it writes
#   DIR/expected.SRCINFO   makepkg's stdout, when makepkg exits 0 (removed otherwise)
#   DIR/expected.exit      makepkg's exit code, when it is not 0 (removed otherwise)
#   DIR/expected.errors    makepkg's "==> ERROR:" messages then, one a line (prefix,
#                          trailing period and temporary path removed)
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
promote=0
if (($# == 0)); then
  set -- "$root"/fixtures/pkgbuild/*/
  compgen -G "$root/fixtures/pkgbuild-pending/*/PKGBUILD" >/dev/null &&
    set -- "$@" "$root"/fixtures/pkgbuild-pending/*/ && promote=1
fi
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
    # makepkg's error messages, without the "==> ERROR: " prefix, the trailing
    # period and the oracle's temporary path
    sed -n 's/^==> ERROR: //p' "$err" |
      sed -E 's#/tmp/makepkg-oracle\.[^/ ]*/recipe/PKGBUILD#PKGBUILD#g; s/\.$//' >"$dir/expected.errors"
  else
    rm -f "$dir/expected.exit" "$dir/expected.errors"
  fi
  rm -f "$out" "$err"
  printf '%s %s\n' "$rc" "$dir"
}
export -f one
export here corpus
printf '%s\0' "$@" | xargs -0 -P 2 -n 1 bash -c 'one "$1"' _
if ((promote)); then
  for d in "$root"/fixtures/pkgbuild-pending/*/; do
    [[ -f $d/expected.SRCINFO || -f $d/expected.exit ]] && mv "${d%/}" "$root/fixtures/pkgbuild/"
  done
  rmdir "$root/fixtures/pkgbuild-pending" 2>/dev/null
fi
