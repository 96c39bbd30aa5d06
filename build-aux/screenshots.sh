#!/bin/bash
# build-aux/screenshots.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes the screenshots that the metainfo (data/io.github.cria.Cria.metainfo.xml.in) and the
# README show, from the real app against the fake LlamaGate, headless, and saves them in
# data/screenshots/: main-window.png (the end-to-end test's conversation), preferences.png,
# dark-narrow.png (dark style, 360 px wide) and welcome.png. Builds build/ first.
set -eu
cd "$(dirname "$0")/.."
[ "${CRIA_DEPS_CHECKED:-0}" = 1 ] || bash build-aux/install-deps.sh >/dev/null
[ -f build/meson-private/coredata.dat ] || meson setup build >/dev/null
meson compile -C build >/dev/null

out=data/screenshots
shots=build/tests/e2e/screenshots
bash build-aux/run-headless.sh meson test -C build e2e
cp "$shots/main-window.png" "$out/main-window.png"
bash build-aux/run-headless.sh /usr/bin/python3 tests/e2e/test-desktop.py \
  build/src/cria build/tests/fake-llamagate build/data "$shots" --update-screenshots "$out"
ls -l "$out"
