#!/bin/sh
# build-aux/math-gallery.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders every formula of tests/data/math/corpus.txt as Cria typesets it, in
# the light and the dark style, into docs/math-gallery/ (PNG files and an
# index.md that shows them beside their LaTeX), so anyone can judge the
# typesetting by eye. Run from the source tree:
#
#   build-aux/math-gallery.sh [BUILD-DIR]      (default: build)
set -eu

build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/docs/math-gallery"

ninja -C "$build" tests/ui/math-gallery
rm -f "$out"/*.png "$out"/index.md
"$build/tests/ui/math-gallery" "$root/tests/data/math/corpus.txt" "$out"
du -sb "$out"
