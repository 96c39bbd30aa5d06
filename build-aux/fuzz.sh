#!/bin/bash
# build-aux/fuzz.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets in tests/fuzz/ with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer, coverage on the core library too) in build-fuzz/ and runs each in
# turn on a copy of its own seed corpus, so the repository is never written to:
#
#   fuzz-stream    the chat completion stream readers   tests/fuzz/corpus
#   fuzz-markdown  the Markdown builder and stream      tests/fuzz/corpus-markdown
#   fuzz-math      the maths parser, layout and words   tests/fuzz/corpus-math
#   fuzz-tools     the calculator, page text, JSON schema tests/fuzz/corpus-tools
#
# A target named fuzz-NAME takes its seeds from tests/fuzz/corpus-NAME (fuzz-stream keeps the
# older tests/fuzz/corpus); a new target is one more word in the targets list below.
# CRIA_FUZZ_SECONDS (default 150) is the time for all targets together, shared evenly, at least
# 10 s each; CRIA_FUZZ_TARGETS (space-separated) runs only those. Any crash, leak, timeout or
# out-of-memory in any target fails; the input that triggered it is kept in
# build-fuzz/fuzz-artifacts/TARGET/.
#
# Exit status: 0 passed, 1 failed, 77 skipped (no clang/libFuzzer, or no fuzz target yet).
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
builddir=build-fuzz
total_seconds=${CRIA_FUZZ_SECONDS:-150}
all_targets=(fuzz-stream fuzz-markdown fuzz-import fuzz-math fuzz-tools)
read -r -a targets <<<"${CRIA_FUZZ_TARGETS:-${all_targets[*]}}"
seconds=$(( total_seconds / ${#targets[@]} ))
if [ "$seconds" -lt 10 ]; then
  seconds=10
fi

corpus_dir () {
  case $1 in
    fuzz-stream) echo tests/fuzz/corpus ;;
    *) echo "tests/fuzz/corpus-${1#fuzz-}" ;;
  esac
}

if [ "${CRIA_DEPS_CHECKED:-0}" != 1 ]; then
  bash build-aux/install-deps.sh || exit 1
fi

if [ ! -f tests/fuzz/meson.build ]; then
  echo "fuzz: tests/fuzz/meson.build does not exist yet; nothing to fuzz (skipped)"
  exit 77
fi
# Probe: can clang link a libFuzzer target with the sanitizers here?
probe=$(mktemp -d "${TMPDIR:-/tmp}/cria-fuzz-probe.XXXXXX")
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
  'int LLVMFuzzerTestOneInput (const uint8_t *d, size_t n);' \
  'int LLVMFuzzerTestOneInput (const uint8_t *d, size_t n) { return 0; }' >"$probe/probe.c"
if ! command -v clang >/dev/null 2>&1 ||
   ! clang -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" >/dev/null 2>&1; then
  rm -rf "$probe"
  echo "fuzz: clang or libFuzzer (libclang-rt-14-dev) is missing (skipped)"
  exit 77
fi
rm -rf "$probe"

# tests/fuzz/meson.build builds the targets and their own copy of the core library with
# -fsanitize=fuzzer(-no-link),address,undefined; the rest of build-fuzz/ keeps the usual flags,
# and only the fuzz targets are built.
opts=(-Dfuzzing=true -Dtests=true)
echo "fuzz: configuring $builddir"
if [ -f "$builddir/meson-private/coredata.dat" ]; then
  if ! CC=clang meson setup --reconfigure "$builddir" "${opts[@]}"; then
    echo "fuzz: reconfiguring failed; setting $builddir up from scratch"
    CC=clang meson setup --wipe "$builddir" "${opts[@]}" || exit 1
  fi
else
  CC=clang meson setup "$builddir" "${opts[@]}" || exit 1
fi

echo "fuzz: building ${targets[*]}"
meson compile -C "$builddir" "${targets[@]}" || exit 1

# intercept_tls_get_addr=0: see build-aux/test.sh. The fast unwinder stays on while fuzzing
# (the slow one costs about 12x in executions per second); failures are replayed without it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:print_summary=1:intercept_tls_get_addr=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/build-aux/lsan.supp}
export G_SLICE=always-malloc G_DEBUG=gc-friendly

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cria-fuzz-corpus.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
rm -rf "$root/$builddir/fuzz-artifacts"
failed=()

for target in "${targets[@]}"; do
  exe=$(find "$builddir/tests/fuzz" -maxdepth 1 -type f -name "$target" -perm -u+x | head -n1)
  if [ -z "$exe" ]; then
    echo "fuzz: $builddir/tests/fuzz/$target was not built"
    failed+=("$target")
    continue
  fi

  corpus=$scratch/$target
  mkdir -p "$corpus"
  seeds=$(corpus_dir "$target")
  if [ -d "$seeds" ]; then
    cp -R "$seeds"/. "$corpus/"
  fi
  artifacts=$root/$builddir/fuzz-artifacts/$target
  mkdir -p "$artifacts"

  echo "fuzz: running $target for ${seconds}s on $(ls "$corpus" | wc -l) seed inputs from $seeds"
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" </dev/null
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "fuzz: $target passed"
    continue
  fi

  failed+=("$target")
  echo "fuzz: FAILED: $target (exit status $rc); reproducer(s) in $artifacts:"
  ls -l "$artifacts"
  # Fuzzing uses ASan's fast unwinder, which stops at the first frame without a frame pointer
  # (all of Debian's libraries), so leak stacks end at g_malloc. Replay each reproducer with the
  # slow unwinder to show whole stacks.
  for input in "$artifacts"/*; do
    [ -f "$input" ] || continue
    echo
    echo "fuzz: replaying $input with full stacks:"
    echo "      ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 G_SLICE=always-malloc $exe $input"
    ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 timeout -k 10 120 "$exe" "$input" </dev/null 2>&1 |
      grep -v -E '^(INFO|\*\*\*)' | head -n 80
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed targets: ${failed[*]}"
  exit 1
fi
echo "fuzz: passed (${targets[*]})"
exit 0
