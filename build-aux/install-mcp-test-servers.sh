#!/bin/sh
# install-mcp-test-servers.sh
#
# Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the reference MCP servers the MCP tests run against into the build
# folder, at the versions pinned in tests/mcp/package-lock.json; never
# globally. Once installed, nothing is fetched again until the lock changes,
# so later runs work offline. Usage: install-mcp-test-servers.sh PACKAGE_DIR
# OUT_DIR STAMP

set -eu

src=$1
mkdir -p "$2" "$(dirname "$3")"
out=$(cd "$2" && pwd)
stamp=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed" > "$stamp"
  echo "install-mcp-test-servers: npm is not installed; the MCP tests will say so" >&2
  exit 0
fi

if [ -f "$out/node_modules/.package-lock.json" ] && cmp -s "$src/package-lock.json" "$out/package-lock.json"; then
  echo "ok" > "$stamp"
  exit 0
fi

cp "$src/package.json" "$src/package-lock.json" "$out/"
cd "$out"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
echo "ok" > "$stamp"
