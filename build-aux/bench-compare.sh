#!/bin/bash
# build-aux/bench-compare.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs benchmarks of two builds side by side in one headless session, so a change is judged
# against its baseline on the same machine at the same time:
#
#   build-aux/bench-compare.sh OLD_BUILDDIR NEW_BUILDDIR [ROUNDS] [BENCHMARK…]
#
# Each round runs every benchmark on both builds, the order swapped from one round to the next
# so that a machine getting slower or faster does not favour either. ROUNDS defaults to 2 and
# the benchmarks to render, startup and history. Both build dirs should be release builds
# (meson setup DIR -Dbuildtype=release). The output of every run is kept in
# NEW_BUILDDIR/bench-compare/ROUND-NAME-{old,new}.log, and its figures are printed.
set -u
if [ $# -lt 2 ]; then
  sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
old=$(cd "$1" && pwd) || exit 2
new=$(cd "$2" && pwd) || exit 2
rounds=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(render startup history)
out=$new/bench-compare
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)

run () {
  local which=$1 dir=$2 round=$3 name=$4 log
  log=$out/$round-$name-$which.log
  echo "## round $round: $name, $which build ($dir)"
  bash "$here/run-headless.sh" meson test -C "$dir" --benchmark --verbose "$name" >"$log" 2>&1
  # The figures: every line the program printed, without meson's own.
  grep -v -E '^(=+|-+|[0-9]+/[0-9]+ |Ok:|Expected Fail:|Fail:|Unexpected Pass:|Skipped:|Timeout:|Full log|ninja|\[[0-9]+/[0-9]+\]|▶|>>>|dbus-daemon|\(/usr/libexec|Ignoring invalid|SpiRegistry|AT-SPI:|――|GSK_RENDERER|$)' "$log" |
    sed 's/^/    /'
}

for round in $(seq 1 "$rounds"); do
  for name in "${names[@]}"; do
    if [ $(( round % 2 )) -eq 1 ]; then
      run old "$old" "$round" "$name"
      run new "$new" "$round" "$name"
    else
      run new "$new" "$round" "$name"
      run old "$old" "$round" "$name"
    fi
  done
done
