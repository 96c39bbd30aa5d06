#!/bin/bash
# build-aux/run-headless.sh — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-headless.sh CMD [ARGS...]
#
# Runs CMD in an isolated headless desktop session and exits with its status:
#   - a private Xvfb whose display number Xvfb picks itself (-displayfd), so parallel runs on one
#     machine never draw on each other's screen (no fixed :99, no xvfb-run -a), with keyboard
#     auto-repeat off (-r): a synthesized key whose release comes late on a busy machine would
#     otherwise repeat, and "AT-SPI" would arrive as "AT-SPII";
#   - a private session bus (dbus-run-session) with a throw-away HOME and XDG_* directories
#     exported before the bus starts, so D-Bus-activated services (gnome-keyring, dconf, at-spi)
#     use them too and never touch the real home;
#   - gnome-keyring-daemon with its default "login" collection created and unlocked (password
#     "test") without a prompt, so libsecret stores and lookups just work;
#   - GSK_RENDERER=cairo and GDK_DEBUG=gl-disable unless already set: software GL is slow,
#     leaks under LeakSanitizer and makes screenshots unstable.
# Everything it started is torn down by PID at the end: the services activated on the bus,
# the bus, Xvfb. The scratch directory is removed unless CRIA_HEADLESS_KEEP=1.
set -u

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

for tool in Xvfb dbus-run-session gnome-keyring-daemon gdbus; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-headless: $tool is missing; run build-aux/install-deps.sh" >&2
    exit 99
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cria-headless.XXXXXX")
xvfb_pid=

cleanup ()
{
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=
  fi
  if [ "${CRIA_HEADLESS_KEEP:-0}" = 1 ]; then
    echo "run-headless: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME=$tmp/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share \
       XDG_CACHE_HOME=$HOME/.cache XDG_STATE_HOME=$HOME/.local/state XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# Nothing from the caller's desktop session may leak in.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
      AT_SPI_BUS_ADDRESS XDG_SESSION_TYPE XDG_CURRENT_DESKTOP SESSION_MANAGER

Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp -noreset -r \
  3>"$tmp/display" 2>"$tmp/xvfb.log" </dev/null &
xvfb_pid=$!
for _ in $(seq 200); do
  [ -s "$tmp/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.05
done
if [ ! -s "$tmp/display" ]; then
  echo "run-headless: Xvfb did not start:" >&2
  cat "$tmp/xvfb.log" >&2
  exit 99
fi
DISPLAY=":$(head -n1 "$tmp/display")"
export DISPLAY GDK_BACKEND=x11
export GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_DEBUG=${GDK_DEBUG:-gl-disable}
export CRIA_HEADLESS_DIR=$tmp

# The part that runs on the private bus: unlock the keyring, run the command, then end every
# process that connected to this bus (keyring, at-spi, dconf, ...) by its PID, so nothing
# outlives the session or keeps the caller's stdout open.
inner='
bus_pids ()
{
  local names name pid self
  self=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
           --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.DBus 2>/dev/null |
         grep -o "[0-9]\+" | tail -n1)
  names=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.ListNames 2>/dev/null | grep -o ":[0-9]\+\.[0-9]\+")
  for name in $names; do
    pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.GetConnectionUnixProcessID "$name" 2>/dev/null |
          grep -o "[0-9]\+" | tail -n1)
    [ -n "$pid" ] && [ "$pid" != "$self" ] && [ "$pid" != $$ ] && echo "$pid"
  done | sort -u
}

if ! printf %s test | gnome-keyring-daemon --unlock --components=secrets \
       >"$CRIA_HEADLESS_DIR/keyring.log" 2>&1; then
  echo "run-headless: gnome-keyring-daemon failed:" >&2
  cat "$CRIA_HEADLESS_DIR/keyring.log" >&2
  exit 99
fi
# The daemon forks before it owns its bus name: wait for it, or the first client would have
# D-Bus activate a second, locked keyring that then prompts.
for _ in $(seq 100); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
    grep -q true && break
  sleep 0.05
done

"$@"
rc=$?

pids=$(bus_pids)
if [ -n "$pids" ]; then
  kill $pids 2>/dev/null
  for _ in $(seq 40); do
    alive=
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && break
    sleep 0.05
  done
  [ -n "$alive" ] && kill -9 $alive 2>/dev/null
fi
exit $rc
'

dbus-run-session -- bash -c "$inner" run-headless "$@"
rc=$?
exit $rc
