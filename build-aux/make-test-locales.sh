#!/bin/sh
# build-aux/make-test-locales.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-test-locales.sh OUTDIR STAMP LOCALE...
#
# Compiles each LOCALE (such as de_DE.UTF-8) with localedef into OUTDIR, for the translation
# test to load through LOCPATH: no root and no change to the system's locales. The sources come
# from Debian's "locales" package (build-aux/install-deps.sh installs it). A locale that cannot
# be compiled is reported and left out; the test then says so when it skips. Always writes STAMP.
set -u

outdir=$1
stamp=$2
shift 2
mkdir -p "$outdir"
: >"$stamp"
for name in "$@"; do
  lang=${name%%.*}
  charset=${name#*.}
  rm -rf "$outdir/$name"
  # localedef exits 1 for warnings about the sources alone; the locale works then.
  localedef --no-archive -i "$lang" -f "$charset" "$outdir/$name" 2>"$outdir/$name.log"
  if [ -f "$outdir/$name/LC_CTYPE" ] && [ -d "$outdir/$name/LC_MESSAGES" ]; then
    echo "$name" >>"$stamp"
  else
    echo "make-test-locales: could not compile $name: $(tail -n 1 "$outdir/$name.log")" >&2
  fi
done
exit 0
