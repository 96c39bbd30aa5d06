#!/bin/bash
# build-aux/run.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run.sh [CRIA-ARGS...]
#
# Installs whatever Debian 12 packages are missing, configures build/ (or reconfigures it),
# builds, and starts build/src/cria uninstalled: the GSettings schema is compiled into
# build/data, so GSETTINGS_SCHEMA_DIR points there. Arguments are passed on to cria.
# LLAMAGATE_API_KEY and LLAMAGATE_API_BASE in the environment reach the app unchanged.
set -eu
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh

if [ -f build/meson-private/coredata.dat ]; then
  if ! log=$(meson setup --reconfigure build 2>&1); then
    printf '%s\n' "$log"
    exit 1
  fi
else
  meson setup build
fi
meson compile -C build

export GSETTINGS_SCHEMA_DIR=$PWD/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}
exec build/src/cria "$@"
