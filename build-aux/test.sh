#!/bin/bash
# build-aux/test.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets Cria up on a Debian 12 machine and runs every check, headless:
#   a) install missing packages           (build-aux/install-deps.sh)
#   b) configure and build                 build/
#   c) the test suite                      meson test, inside build-aux/run-headless.sh
#   d) the same suite under ASan + UBSan   build-asan/
#   e) fuzzing                             build-aux/fuzz.sh, build-fuzz/ (CRIA_FUZZ_SECONDS)
#   f) the Flatpak, built and run offline  build-aux/flatpak-check.sh, build/flatpak-check/
#   g) a summary whose last line is "N passed, N failed" (", N skipped" when some were).
# Every stage runs even when an earlier one failed; the exit status is 1 if anything failed,
# including a build. Long logs go to build/ci-logs/; a failure prints the tail of its log.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
exec </dev/null

logs=$root/build/ci-logs
mkdir -p "$logs"
rm -f "$logs"/*.log "$logs"/*.counts

tail_lines=${CRIA_LOG_TAIL:-60}
# A stage that runs longer than this is ended and counted as failed. The sanitizer stage is the
# longest: its end-to-end walks take about ten minutes on two busy cores.
stage_timeout=${CRIA_STAGE_TIMEOUT:-2700}

names=() passed=() failed=() skipped=() secs=() notes=()
total_start=$(date +%s)

header ()
{
  echo
  echo "==> $*"
}

show_tail ()
{
  echo "---- last $tail_lines lines of ${1#$root/} ----"
  tail -n "$tail_lines" "$1"
  echo "---- end of ${1#$root/} ----"
}

# show_from PATTERN LOG [LINES]: shows LOG from the first line matching PATTERN (the first
# compiler error, the fuzzer's report), or its tail when no line matches.
show_from ()
{
  if grep -q -E "$1" "$2"; then
    echo "---- ${2#$root/}, from the first failure ----"
    sed -n -E "/$1/,\$p" "$2" | head -n "${3:-$tail_lines}"
    echo "---- full log: ${2#$root/} ----"
  else
    show_tail "$2"
  fi
}

# record NAME PASSED FAILED SKIPPED START NOTE
record ()
{
  local t=$(( $(date +%s) - $5 ))
  names+=("$1") passed+=("$2") failed+=("$3") skipped+=("$4") secs+=("$t") notes+=("$6")
  echo "    $1: $2 passed, $3 failed, $4 skipped; $6 (${t}s)"
}

# setup_and_build DIR LOGPREFIX MESON-OPTIONS...: configures (or reconfigures) and builds DIR.
setup_and_build ()
{
  local dir=$1 prefix=$2
  shift 2
  local setup=(meson setup)
  [ -f "$dir/meson-private/coredata.dat" ] && setup+=(--reconfigure)
  echo "    ${setup[*]} $dir $*"
  if ! "${setup[@]}" "$dir" "$@" >"$logs/$prefix-setup.log" 2>&1; then
    echo "    FAILED: meson setup $dir"
    show_from 'ERROR:' "$logs/$prefix-setup.log" 30
    return 1
  fi
  # -k 0: build everything that can be built, so the tests that did build still run.
  echo "    meson compile -C $dir"
  if ! meson compile -C "$dir" --ninja-args=-k0 >"$logs/$prefix-compile.log" 2>&1; then
    echo "    FAILED: meson compile -C $dir"
    show_from '^FAILED: ' "$logs/$prefix-compile.log"
    return 1
  fi
  grep -c 'warning:' "$logs/$prefix-compile.log" | sed 's/^/    compiler warnings: /'
  return 0
}

# built_tests DIR: prints the names of the tests in DIR whose programs were built.
built_tests ()
{
  meson introspect --tests "$1" 2>/dev/null | /usr/bin/python3 -c '
import json, os, sys
try:
    tests = json.load(sys.stdin)
except ValueError:
    tests = []  # not configured
for t in tests:
    if os.path.exists(t["cmd"][0]):
        print(t["name"])'
}

# run_suite NAME DIR LOGPREFIX BUILT [MULTIPLIER]: runs meson test in DIR headless and records the
# counts, each test's timeout multiplied by MULTIPLIER (default 1).
# When the build failed (BUILT=0), runs the tests whose programs were built anyway.
run_suite ()
{
  local name=$1 dir=$2 prefix=$3 built=$4 multiplier=${5:-1} start rc counts p f s note selected=()
  start=$(date +%s)
  if [ "$built" != 1 ]; then
    mapfile -t selected < <(built_tests "$dir")
    echo "    the build failed; running the ${#selected[@]} tests that were built"
    if [ ${#selected[@]} -eq 0 ]; then
      record "$name" 0 0 0 "$start" "not run, nothing was built"
      return
    fi
    selected=(--no-rebuild "${selected[@]}")
  fi
  rm -f "$dir/meson-logs/testlog.json"
  echo "    meson test -C $dir --print-errorlogs --num-processes 2  (log: ${logs#$root/}/$prefix-test.log)"
  timeout -k 30 "$stage_timeout" bash build-aux/run-headless.sh \
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier "$multiplier" \
    "${selected[@]}" \
    >"$logs/$prefix-test.log" 2>&1
  rc=$?
  counts=$logs/$prefix.counts
  p=0 f=0 s=0
  if [ -f "$dir/meson-logs/testlog.json" ]; then
    /usr/bin/python3 build-aux/meson-summary.py --counts "$counts" "$dir/meson-logs/testlog.json" |
      sed 's/^/    /'
    if ! read -r p f s 2>/dev/null <"$counts"; then
      echo "    could not summarise $dir/meson-logs/testlog.json"
      p=0 f=1 s=0
    fi
  fi
  note="meson test exit status $rc"
  [ $rc -eq 124 ] && note="meson test killed after ${stage_timeout}s"
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    # meson test itself failed (timeout, no test log, a setup error): never a silent pass.
    f=1
    show_tail "$logs/$prefix-test.log"
  fi
  record "$name" "$p" "$f" "$s" "$start" "$note"
}

echo "Cria test suite — $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, logs in build/ci-logs/"

# a) Dependencies
header "[a] Dependencies (build-aux/install-deps.sh)"
start=$(date +%s)
if bash build-aux/install-deps.sh >"$logs/install-deps.log" 2>&1; then
  tail -n 1 "$logs/install-deps.log" | sed 's/^/    /'
  record deps 0 0 0 "$start" "installed"
else
  echo "    FAILED: installing packages"
  show_tail "$logs/install-deps.log"
  record deps 0 1 0 "$start" "apt-get failed"
fi
export CRIA_DEPS_CHECKED=1

# b) Build
header "[b] Build (build/)"
start=$(date +%s)
if setup_and_build build build; then
  build_ok=1
  record build 0 0 0 "$start" "built"
else
  build_ok=0
  record build 0 1 0 "$start" "build failed"
fi

# c) Tests
header "[c] Tests, headless (Xvfb + private D-Bus + unlocked keyring)"
run_suite tests build build $build_ok

# d) Sanitizers
header "[d] Tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
start=$(date +%s)
# debugoptimized: keeps -g for readable reports and runs the GUI tests several times faster
# than -O0, which the end-to-end tests under a loaded machine need.
if setup_and_build build-asan asan -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false; then
  asan_ok=1
  record asan-build 0 0 0 "$start" "built"
else
  asan_ok=0
  record asan-build 0 1 0 "$start" "build failed"
fi
# abort_on_error=0: a finding exits with status 1 after its report (no core dump, no SIGABRT
# noise); halt_on_error=1: the first finding ends the test; fast_unwind_on_malloc=0: Debian's
# libraries have no frame pointers, so without it leak stacks stop at g_malloc and neither a
# reader nor build-aux/lsan.supp can tell whose leak it is; intercept_tls_get_addr=0: with
# glibc >= 2.25, GCC 12's runtime misreads some dynamic TLS blocks (glib-networking's GnuTLS
# module has them) and LeakSanitizer's tracer dies with "Tracer caught signal 11";
# G_SLICE=always-malloc lets LSan see GSlice allocations.
# tests/meson.build also sets LSAN_OPTIONS and UBSAN_OPTIONS per test.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:print_summary=1:fast_unwind_on_malloc=0:intercept_tls_get_addr=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/build-aux/lsan.supp
export G_SLICE=always-malloc
# The end-to-end tests' ceilings (tests/e2e/atspi_helpers.py), for a slower build.
export CRIA_E2E_SLOWDOWN=6
# A sanitizer build is several times slower: each test gets twice its usual time.
run_suite asan-tests build-asan asan $asan_ok 2
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS G_SLICE CRIA_E2E_SLOWDOWN

# e) Fuzzing
header "[e] Fuzzing (build-aux/fuzz.sh, ${CRIA_FUZZ_SECONDS:-150}s)"
start=$(date +%s)
timeout -k 30 "$stage_timeout" bash build-aux/fuzz.sh >"$logs/fuzz.log" 2>&1
rc=$?
case $rc in
  0)
    grep -E '^fuzz: running|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+.*DONE' \
      "$logs/fuzz.log" | sed 's/^/    /'
    record fuzz 1 0 0 "$start" "no crash, leak or timeout" ;;
  77)
    tail -n 1 "$logs/fuzz.log" | sed 's/^/    /'
    record fuzz 0 0 1 "$start" "skipped" ;;
  *)
    echo "    FAILED: fuzzing (exit status $rc)"
    show_from '(ERROR: |^fuzz: FAILED|^FAILED: )' "$logs/fuzz.log" 120
    record fuzz 0 1 0 "$start" "fuzz.sh exit status $rc" ;;
esac

# f) Flatpak
header "[f] Flatpak: stand-in GNOME runtime, flatpak-builder, flatpak run (build-aux/flatpak-check.sh)"
start=$(date +%s)
timeout -k 30 "$stage_timeout" bash build-aux/flatpak-check.sh build >"$logs/flatpak.log" 2>&1
rc=$?
p=$(grep -c -E '^ok [0-9]+' "$logs/flatpak.log")
f=$(grep -c -E '^not ok [0-9]+' "$logs/flatpak.log")
s=0
grep -E '^(not )?ok [0-9]+|^1\.\.0 # SKIP' "$logs/flatpak.log" | sed 's/^/    /'
case $rc in
  0)
    record flatpak "$p" "$f" 0 "$start" "built and ran in the sandbox" ;;
  77)
    s=1
    record flatpak "$p" "$f" "$s" "$start" "skipped: $(sed -n 's/^1\.\.0 # SKIP //p' "$logs/flatpak.log" | tail -n 1)" ;;
  *)
    [ "$f" -eq 0 ] && f=1
    show_tail "$logs/flatpak.log"
    record flatpak "$p" "$f" 0 "$start" "flatpak-check.sh exit status $rc" ;;
esac

# g) Summary
header "[g] Summary"
tp=0 tf=0 ts=0
printf '    %-12s %7s %7s %7s %6s  %s\n' stage passed failed skipped time note
for i in "${!names[@]}"; do
  printf '    %-12s %7d %7d %7d %5ds  %s\n' "${names[$i]}" "${passed[$i]}" "${failed[$i]}" \
    "${skipped[$i]}" "${secs[$i]}" "${notes[$i]}"
  tp=$((tp + passed[i])) tf=$((tf + failed[i])) ts=$((ts + skipped[i]))
done
echo "    total time $(( $(date +%s) - total_start ))s; logs in build/ci-logs/"

line="$tp passed, $tf failed"
[ "$ts" -gt 0 ] && line="$line, $ts skipped"
echo "$line"
[ "$tf" -eq 0 ]
