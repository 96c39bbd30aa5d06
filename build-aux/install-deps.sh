#!/bin/bash
# build-aux/install-deps.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian 12 packages Cria needs to build, run and test, and nothing else.
# Only when something is missing does it touch the network (apt-get update + install), so a
# second run takes a fraction of a second and works offline. This is the one list of packages:
# run.sh, test.sh and fuzz.sh all call this script.
set -eu

packages=(
  # Build
  meson ninja-build pkg-config gcc gettext desktop-file-utils appstream libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libgtksourceview-5-dev libmd4c-dev libmd4c-html0-dev libsqlite3-dev
  # PDF attachments: their text, and their scanned pages as pictures for OCR
  libpoppler-glib-dev
  # Run: TLS for libsoup; WebP images for attachments (JPEG, PNG, GIF and BMP
  # loaders come with gdk-pixbuf)
  glib-networking ca-certificates openssl webp-pixbuf-loader
  # Maths: the OpenType MATH font formulas are set in (DejaVu Math TeX Gyre, which matches
  # DejaVu Sans text), and HarfBuzz to read its MATH table (libfontconfig-dev: the maths tests
  # find the font the way the view does)
  fonts-dejavu-extra libharfbuzz-dev libfontconfig-dev
  # Fuzzing (libFuzzer)
  clang libclang-rt-14-dev
  # Headless tests: private X server, private session bus (dbus-run-session is in
  # dbus-daemon on bookworm), keyring, accessibility, screenshots, keys and an
  # image on the clipboard for the end-to-end test (xdotool, xclip).
  # Never dbus-x11: it makes GTK autolaunch session buses that never exit.
  xvfb xauth dbus-daemon gnome-keyring libsecret-tools at-spi2-core gir1.2-atspi-2.0 python3-gi
  imagemagick libxml2-utils xdotool xclip
  # The document reader's tests encrypt the PDFs they make, to read them back with a password
  qpdf
  # The translation test compiles de_DE.UTF-8 and es_ES.UTF-8 from these sources (localedef)
  locales
  # The Flatpak check (build-aux/flatpak-check.sh): a stand-in GNOME runtime built from Debian
  # packages with mmdebstrap, the app built with flatpak-builder and run in bubblewrap, the
  # key kept through the Secret portal (xdg-desktop-portal with gnome-keyring's backend).
  flatpak flatpak-builder mmdebstrap bubblewrap xdg-desktop-portal elfutils
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "All ${#packages[@]} packages are installed."
  exit 0
fi

echo "Installing ${#missing[@]} missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "error: these packages are missing and this user is not root and has no sudo: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
